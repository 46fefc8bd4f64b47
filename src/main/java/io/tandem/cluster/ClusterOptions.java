package io.tandem.cluster;

import io.tandem.config.HostPort;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link ClusterChannel} needs to know, checked when built.
 *
 * @param nodeName this node's name: its JGroups logical name, unique in the cluster
 * @param bind the IP literal and port the transport binds (FD_SOCK2 binds the same address, port + 100);
 *     never a wildcard address
 * @param peers the other members' transport addresses (IP literals); this node's own may be listed too
 * @param keyFile the PKCS12 key store written by {@code tandem keygen}
 * @param heartbeatInterval how often FD_ALL3 sends a heartbeat
 * @param heartbeatTimeout silence after which FD_ALL3 suspects a member (> interval)
 * @param clusterName the JGroups cluster name; only members with the same name form a view
 * @param stackFile an external JGroups stack file to use instead of the built-in one, or null
 */
public record ClusterOptions(
    String nodeName,
    HostPort bind,
    List<HostPort> peers,
    Path keyFile,
    Duration heartbeatInterval,
    Duration heartbeatTimeout,
    String clusterName,
    Path stackFile) {

  /** The cluster name when none is configured. */
  public static final String DEFAULT_CLUSTER_NAME = "tandem";
  // FD_SOCK2 listens on the transport port + this (the offset in jgroups.xml).
  static final int FD_SOCK_OFFSET = 100;

  public ClusterOptions {
    Objects.requireNonNull(keyFile, "keyFile");
    if (nodeName == null || nodeName.isBlank()) {
      throw new IllegalArgumentException("nodeName: empty (expected: the node's name)");
    }
    requireUnicastLiteral("bind", bind);
    if (bind.port() < 1 || bind.port() + FD_SOCK_OFFSET > 65535) {
      throw new IllegalArgumentException("bind: " + bind + " (expected: port 1-" + (65535 - FD_SOCK_OFFSET)
          + ", FD_SOCK2 takes port + " + FD_SOCK_OFFSET + ")");
    }
    peers = List.copyOf(peers);
    for (int i = 0; i < peers.size(); i++) {
      requireUnicastLiteral("peers[" + i + "]", peers.get(i));
    }
    if (heartbeatInterval == null || heartbeatInterval.toMillis() < 1) {
      throw new IllegalArgumentException("heartbeatInterval: " + heartbeatInterval + " (expected: >= 1ms)");
    }
    if (heartbeatTimeout == null || heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
      throw new IllegalArgumentException("heartbeatTimeout: " + heartbeatTimeout
          + " (expected: > heartbeatInterval " + heartbeatInterval + ")");
    }
    if (clusterName == null || clusterName.isBlank()) {
      throw new IllegalArgumentException("clusterName: empty (expected: a name)");
    }
  }

  /** With the default cluster name and the built-in stack. */
  public ClusterOptions(String nodeName, HostPort bind, List<HostPort> peers, Path keyFile,
      Duration heartbeatInterval, Duration heartbeatTimeout) {
    this(nodeName, bind, peers, keyFile, heartbeatInterval, heartbeatTimeout, DEFAULT_CLUSTER_NAME, null);
  }

  // An IP literal (never a name: no DNS) and not the wildcard: a cluster socket on 0.0.0.0 would
  // accept cluster traffic on the public side too.
  private static void requireUnicastLiteral(String key, HostPort hp) {
    if (hp == null) {
      throw new IllegalArgumentException(key + ": missing (expected: ip:port)");
    }
    InetAddress ip = hp.ip();
    if (ip == null || ip.isAnyLocalAddress() || ip.isMulticastAddress()) {
      throw new IllegalArgumentException(key + ": " + hp + " (expected: a unicast IP literal and a port)");
    }
  }
}
