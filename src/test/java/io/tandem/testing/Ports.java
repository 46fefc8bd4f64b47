package io.tandem.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for tests that need fixed ports (cluster members list each other's). */
public final class Ports {
  /**
   * Where the kernel starts handing out local ports for outgoing connections. Ports are picked
   * below it: a pair's VIP port is bound seconds after it was picked (by whichever node becomes
   * MASTER), and a port in the ephemeral range may meanwhile have become the local end of one of
   * the test JVM's own connections (CI saw "cannot bind VIP 127.0.0.1:35607: Address already in
   * use" that way).
   */
  private static final int EPHEMERAL_LOW = ephemeralLow();

  private Ports() {}

  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
      return Integer.parseInt(range.trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768; // Linux's default
    }
  }

  /** A port p such that p and p + {@code offset} are both free on 127.0.0.1 now. */
  public static int freePair(int offset) {
    return freePair(offset, Set.of());
  }

  /**
   * As {@link #freePair(int)}, and neither p nor p + {@code offset} is in {@code taken}: ports
   * already handed out but not bound yet (a pair's VIP port is bound only by its MASTER).
   */
  public static int freePair(int offset, Collection<Integer> taken) {
    int below = Math.max(EPHEMERAL_LOW, 12_000);
    for (int i = 0; i < 200; i++) {
      int p = ThreadLocalRandom.current().nextInt(10_000, below - offset);
      if (!taken.contains(p) && !taken.contains(p + offset) && free(p) && free(p + offset)) {
        return p;
      }
    }
    throw new IllegalStateException("no free port pair");
  }

  public static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
