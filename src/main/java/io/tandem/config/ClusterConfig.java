package io.tandem.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The pair's cluster: this node's cluster address, the static peer list (TCP + TCPPING, so it works
 * where multicast is blocked), the shared key, the election's preempt setting and the heartbeat.
 * {@code heartbeatTimeout} is how long a silent peer is still believed alive. With a {@code witness}
 * (its cluster address), a node may be MASTER only with a majority of the voters: the balancers
 * (this node and its peers) and the witness.
 */
public record ClusterConfig(
    String name,
    HostPort bind,
    List<HostPort> peers,
    Path keyFile,
    boolean preempt,
    Duration heartbeatInterval,
    Duration heartbeatTimeout,
    Optional<HostPort> witness) {

  public ClusterConfig {
    peers = List.copyOf(peers);
  }

  /** The balancers: this node and its peers, each address once (the witness is never among them). */
  public int balancers() {
    Set<HostPort> all = new HashSet<>(peers);
    if (bind != null) {
      all.add(bind);
    }
    witness.ifPresent(all::remove);
    return all.size();
  }

  /** The addresses TCPPING asks: the peers, and the witness when there is one. */
  public List<HostPort> members() {
    List<HostPort> all = new ArrayList<>(peers);
    witness.filter(w -> !all.contains(w)).ifPresent(all::add);
    return List.copyOf(all);
  }
}
