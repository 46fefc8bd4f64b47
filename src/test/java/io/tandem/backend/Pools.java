package io.tandem.backend;

import io.tandem.config.BackendConfig;
import io.tandem.config.PassiveConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Small builders for pool tests. */
final class Pools {
  static final PassiveConfig NO_EJECTION = new PassiveConfig(0, Duration.ofSeconds(10), Duration.ofMinutes(5));

  private Pools() {}

  static BackendConfig backend(String id, int weight) {
    return new BackendConfig(id, URI.create("http://127.0.0.1:" + (9000 + Math.abs(id.hashCode() % 1000))), weight);
  }

  /** Backends named by the ids, weight 1 each. */
  static List<BackendConfig> backends(String... ids) {
    List<BackendConfig> out = new ArrayList<>();
    for (String id : ids) {
      out.add(backend(id, 1));
    }
    return out;
  }

  static BackendPool pool(String... ids) {
    return BackendPool.create(backends(ids), NO_EJECTION, new ManualClock());
  }

  static Backend get(BackendPool pool, String id) {
    return pool.byId(id).orElseThrow();
  }
}
