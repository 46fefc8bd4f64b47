package io.tandem.config;

import java.util.List;

/** One node's whole configuration, immutable and already validated. */
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
    AdminConfig admin) {

  public TandemConfig {
    listen = List.copyOf(listen);
    backends = List.copyOf(backends);
  }
}
