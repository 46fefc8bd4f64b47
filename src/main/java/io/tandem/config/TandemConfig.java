package io.tandem.config;

import java.util.List;
import java.util.Optional;

/** One node's whole configuration, immutable and already validated; no {@code cluster}: a single node. */
public record TandemConfig(
    NodeConfig node,
    List<ListenConfig> listen,
    List<BackendConfig> backends,
    HealthConfig health,
    PassiveConfig passive,
    StickyConfig sticky,
    TimeoutsConfig timeouts,
    LimitsConfig limits,
    RetriesConfig retries,
    AdminConfig admin,
    Optional<ClusterConfig> cluster,
    Optional<VipConfig> vip) {

  public TandemConfig {
    listen = List.copyOf(listen);
    backends = List.copyOf(backends);
  }

  /**
   * This node's proxy settings with other listeners and backends, and no cluster or VIP: a data
   * path of its own (the warm-up's) that cannot reach the farm, the peers or the address.
   */
  public TandemConfig privateDataPath(List<ListenConfig> listen, List<BackendConfig> backends) {
    return new TandemConfig(node, listen, backends, health, passive, sticky, timeouts, limits, retries, admin,
        Optional.empty(), Optional.empty());
  }
}
