package io.tandem.app;

import io.vertx.core.transport.Transport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event-loop transport of {@code run --transport}. {@code auto} takes the first available of
 * io_uring, epoll and NIO. io_uring proxies the same load for a quarter to a third less CPU per
 * request than epoll, and that is what lets a JVM proxy on a small host keep up with HAProxy
 * (test-cluster/bench/proxy). Its one cost shows when a node is killed outright: the kernel tears
 * the rings down after the process's other files, and only then closes the sockets they hold, so
 * the VIP's listener keeps accepting ~13 ms longer than on epoll (kill -9, idle, 2-core test
 * machine). The failover does not see it: the peer learns of the crash from JGroups' own sockets,
 * closed with the process's other files, and its suspicion takes longer than the teardown (crash
 * drill, 25 trials each: median gaps 95 ms on io_uring, 110 on epoll). A transport named
 * explicitly must be available (a seccomp profile or {@code kernel.io_uring_disabled} may forbid
 * io_uring), or the node does not start; {@code auto} then falls back to epoll and logs why.
 */
public final class Transports {
  public static final String AUTO = "auto";

  private final Map<String, Transport> known;

  /** The transports of this build, by the name the option takes, in order of preference. */
  public Transports() {
    this(new LinkedHashMap<>());
    known.put("io_uring", Transport.IO_URING);
    known.put("epoll", Transport.EPOLL);
    known.put("nio", Transport.NIO);
  }

  Transports(Map<String, Transport> known) {
    this.known = known;
  }

  /** What {@code name} selects here, with why a preferred one was passed over. */
  public record Choice(Transport transport, String name, String note) {}

  /** Throws IllegalArgumentException naming the option and the problem. */
  public Choice choose(String name) {
    if (AUTO.equals(name)) {
      StringBuilder passed = new StringBuilder();
      for (Map.Entry<String, Transport> e : known.entrySet()) {
        String why = unavailable(e.getValue());
        if (why == null) {
          return new Choice(e.getValue(), e.getKey(), passed.toString());
        }
        passed.append(passed.length() == 0 ? "" : "; ").append(e.getKey()).append(": ").append(why);
      }
      throw new IllegalArgumentException("--transport auto: no transport is available (" + passed + ")");
    }
    if (!known.containsKey(name)) {
      throw new IllegalArgumentException("--transport: '" + name + "' (expected: auto, "
          + String.join(", ", known.keySet()) + ")");
    }
    String why = unavailable(known.get(name));
    if (why != null) {
      throw new IllegalArgumentException("--transport " + name + ": not available here: " + why
          + " (auto picks the best available one)");
    }
    return new Choice(known.get(name), name, "");
  }

  private static String unavailable(Transport t) {
    if (t == null) {
      return "not in this build";
    }
    if (t.available()) {
      return null;
    }
    Throwable cause = t.unavailabilityCause();
    return cause == null ? "unavailable" : String.valueOf(cause.getMessage());
  }
}
