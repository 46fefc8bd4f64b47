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
}
