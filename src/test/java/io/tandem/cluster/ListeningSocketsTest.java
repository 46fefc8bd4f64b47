package io.tandem.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TP;
import org.jgroups.stack.DiagnosticsHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads this process's sockets from /proc (Linux), so the check covers every socket JGroups opens,
 * not only those its getters expose.
 */
class ListeningSocketsTest {
  @TempDir Path dir;

  @Test
  void everySocketListensOnTheConfiguredAddressAndNoneIsUdp() throws Exception {
    Path key = dir.resolve("cluster.key");
    ClusterKey.generate(key);
    Set<Long> before = socketInodes();
    try (TestCluster cluster = new TestCluster(key, 2)) {
      ClusterChannel a = cluster.start(0);
      ClusterChannel b = cluster.start(1);
      await().atMost(3, SECONDS).until(() -> a.members().size() == 2);

      Set<Long> ours = socketInodes();
      ours.removeAll(before);
      Map<Long, ProcSocket> tcp = parse("tcp", "tcp6");
      Map<Long, ProcSocket> udp = parse("udp", "udp6");
      Set<Integer> listenPorts = new HashSet<>();
      for (long inode : ours) {
        ProcSocket s = tcp.get(inode);
        if (s != null && s.listening()) {
          assertThat(s.address().getHostAddress()).as("listener on port %d", s.port()).isEqualTo("127.0.0.1");
          listenPorts.add(s.port());
        }
        assertThat(udp).as("UDP socket").doesNotContainKey(inode);
      }
      int p0 = cluster.address(0).port();
      int p1 = cluster.address(1).port();
      assertThat(listenPorts).containsExactlyInAnyOrder(p0, p0 + 100, p1, p1 + 100);

      for (ClusterChannel ch : List.of(a, b)) {
        TP tp = ch.jchannel().getProtocolStack().getTransport();
        DiagnosticsHandler diag = tp.getDiagnosticsHandler();
        assertThat(diag == null || !diag.isEnabled() && !diag.isRunning()).as("diagnostics off").isTrue();
        FD_SOCK2 fd = ch.jchannel().getProtocolStack().findProtocol(FD_SOCK2.class);
        assertThat(fd.getBindAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(fd.getActualBindPort()).isEqualTo(tp.getBindPort() + 100);
      }
    }
  }

  private record ProcSocket(InetAddress address, int port, boolean listening) {}

  private static Set<Long> socketInodes() throws IOException {
    Set<Long> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException gone) {
          // the descriptor closed while listing
        }
      }
    }
    return inodes;
  }

  private static Map<Long, ProcSocket> parse(String... tables) throws IOException {
    Map<Long, ProcSocket> byInode = new HashMap<>();
    for (String table : tables) {
      List<String> lines = Files.readAllLines(Path.of("/proc/net", table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        String[] local = f[1].split(":");
        byInode.put(Long.parseLong(f[9]), new ProcSocket(address(local[0]), Integer.parseInt(local[1], 16), f[3].equals("0A")));
      }
    }
    return byInode;
  }

  // /proc prints each 32-bit word of the address in host (little-endian) order.
  private static InetAddress address(String hex) throws IOException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      byte[] w = new BigInteger(hex.substring(word * 8, word * 8 + 8), 16).toByteArray();
      byte[] le = new byte[4];
      System.arraycopy(w, Math.max(0, w.length - 4), le, 4 - Math.min(4, w.length), Math.min(4, w.length));
      for (int i = 0; i < 4; i++) {
        bytes[word * 4 + i] = le[3 - i];
      }
    }
    return InetAddress.getByAddress(bytes);
  }
}
