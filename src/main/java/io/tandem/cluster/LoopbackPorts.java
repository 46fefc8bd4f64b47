package io.tandem.cluster;

import io.tandem.config.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Free cluster addresses on 127.0.0.1 for channels of this process's own (the crash path warm-up,
 * tests): each a port that is free together with its FD_SOCK2 port (+100), none overlapping another.
 * Free when chosen: a port taken in the moment before the channel binds fails its connect, and the
 * caller may ask again.
 */
final class LoopbackPorts {
  private static final int ATTEMPTS_PER_ADDRESS = 20;

  private LoopbackPorts() {}

  static List<HostPort> free(int count) throws IOException {
    List<HostPort> found = new ArrayList<>();
    Set<Integer> taken = new HashSet<>();
    for (int tries = 0; found.size() < count; tries++) {
      if (tries >= ATTEMPTS_PER_ADDRESS * count) {
        throw new IOException("no " + count + " free loopback ports (each with port + "
            + ClusterOptions.FD_SOCK_OFFSET + " free) in " + tries + " tries");
      }
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      int fd = port + ClusterOptions.FD_SOCK_OFFSET;
      if (fd <= 65535 && !taken.contains(port) && !taken.contains(fd) && isFree(fd)) {
        taken.add(port);
        taken.add(fd);
        found.add(new HostPort("127.0.0.1", port));
      }
    }
    return found;
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
