package io.tandem.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free loopback ports for tests that need fixed ports (cluster members list each other's). */
public final class Ports {
  private Ports() {}

  /** A port p such that p and p + {@code offset} are both free on 127.0.0.1 now. */
  public static int freePair(int offset) {
    return freePair(offset, java.util.Set.of());
  }

  /**
   * As {@link #freePair(int)}, and neither p nor p + {@code offset} is in {@code taken}: ports
   * already handed out but not bound yet (a pair's VIP port is bound only by its MASTER).
   */
  public static int freePair(int offset, java.util.Collection<Integer> taken) {
    for (int i = 0; i < 200; i++) {
      int p = ThreadLocalRandom.current().nextInt(20000, 40000);
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
