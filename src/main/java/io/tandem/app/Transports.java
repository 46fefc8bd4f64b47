package io.tandem.app;

import io.vertx.core.transport.Transport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The event-loop transport of {@code run --transport}. {@code auto} takes the first available of
 * epoll, io_uring and NIO. io_uring costs a third less CPU per proxied request than epoll
 * (test-cluster/bench/proxy), but it is not the default: when the node is killed outright the
 * kernel tears its rings down asynchronously and only then closes the sockets they hold, so the
 * VIP's listener kept accepting 15-20 ms longer than on epoll (kill -9 under load, 2-core test
 * machine), which the peer's takeover guard waits out: a slower crash failover. A transport named
 * explicitly must be available (a seccomp profile or {@code kernel.io_uring_disabled} may forbid
 * io_uring), or the node does not start.
 */
public final class Transports {
  public static final String AUTO = "auto";

  private final Map<String, Transport> known;

  /** The transports of this build, by the name the option takes, in order of preference. */
  public Transports() {
    this(new LinkedHashMap<>());
    known.put("epoll", Transport.EPOLL);
    known.put("io_uring", Transport.IO_URING);
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
