package io.tandem.vip;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two test hosts for the VIP drivers: network namespaces {@code a} and {@code b} joined by a veth
 * pair (eth0 on each side), addresses in 198.18.0.0/15 only. Needs root; tests skip without it.
 */
final class Netns implements AutoCloseable {
  static final String A_ADDR = "198.18.1.1/24";
  static final String B_ADDR = "198.18.1.2/24";

  final String a;
  final String b;

  private Netns(String tag) {
    String id = tag + ProcessHandle.current().pid();
    this.a = "tvip-" + id + "-a";
    this.b = "tvip-" + id + "-b";
  }

  static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  static Netns create(String tag) throws IOException {
    assumeTrue(root(), "skipped: the VIP driver tests need root (network namespaces, ip addr, arping)");
    Netns n = new Netns(tag);
    n.close();
    sh("ip", "netns", "add", n.a);
    sh("ip", "netns", "add", n.b);
    sh("ip", "-n", n.a, "link", "add", "eth0", "type", "veth", "peer", "name", "peer0");
    sh("ip", "-n", n.a, "link", "set", "peer0", "netns", n.b);
    sh("ip", "-n", n.b, "link", "set", "peer0", "name", "eth0");
    sh("ip", "-n", n.a, "addr", "add", A_ADDR, "dev", "eth0");
    sh("ip", "-n", n.b, "addr", "add", B_ADDR, "dev", "eth0");
    // b learns neighbours from gratuitous ARP (Linux only updates existing entries otherwise).
    sh("ip", "netns", "exec", n.b, "sysctl", "-q", "-w", "net.ipv4.conf.eth0.arp_accept=1");
    for (String ns : List.of(n.a, n.b)) {
      sh("ip", "-n", ns, "link", "set", "lo", "up");
      sh("ip", "-n", ns, "link", "set", "eth0", "up");
    }
    return n;
  }

  /** Runs {@code ip netns exec NS} before every command: the driver works inside host {@code a}. */
  List<String> inA() {
    return List.of("ip", "netns", "exec", a);
  }

  static String sh(String... argv) throws IOException {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", argv) + ": " + out);
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  String addrs(String ns) throws IOException {
    return sh("ip", "-n", ns, "-o", "addr", "show", "dev", "eth0");
  }

  String mac(String ns) throws IOException {
    String out = sh("ip", "-n", ns, "-o", "link", "show", "dev", "eth0");
    int i = out.indexOf("link/ether ");
    return out.substring(i + 11, i + 28);
  }

  String neigh(String ns, String ip) throws IOException {
    return sh("ip", "-n", ns, "neigh", "show", ip);
  }

  @Override
  public void close() {
    for (String ns : new ArrayList<>(List.of(a, b))) {
      try {
        sh("ip", "netns", "del", ns);
      } catch (IOException e) {
        // Not there: nothing to remove.
      }
    }
  }
}
