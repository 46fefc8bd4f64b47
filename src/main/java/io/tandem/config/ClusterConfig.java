package io.tandem.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The pair's cluster: this node's cluster address, the static peer list (TCP + TCPPING, so it works
 * where multicast is blocked), the shared key, the election's preempt setting and the heartbeat.
 * {@code heartbeatTimeout} is how long a silent peer is still believed alive.
 */
public record ClusterConfig(
    String name,
    HostPort bind,
    List<HostPort> peers,
    Path keyFile,
    boolean preempt,
    Duration heartbeatInterval,
    Duration heartbeatTimeout) {

  public ClusterConfig {
    peers = List.copyOf(peers);
  }
}
