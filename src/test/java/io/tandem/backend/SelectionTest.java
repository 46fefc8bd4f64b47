package io.tandem.backend;

import static io.tandem.backend.Pools.get;
import static io.tandem.backend.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectionTest {

  private static String pick(BackendPool pool, String... exclude) {
    return pool.select(Set.of(exclude)).map(Backend::id).orElse("none");
  }

  @Test
  void picksBackendWithFewestOutstandingRequests() {
    BackendPool pool = pool("a", "b", "c");
    pool.begin(get(pool, "a"));
    pool.begin(get(pool, "a"));
    pool.begin(get(pool, "c"));

    for (int i = 0; i < 5; i++) {
      assertThat(pick(pool)).isEqualTo("b");
    }
  }

  @Test
  void equalBackendsTakeTurns() {
    BackendPool pool = pool("a", "b", "c");
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      counts.merge(pick(pool), 1, Integer::sum);
    }
    assertThat(counts).containsOnly(Map.entry("a", 100), Map.entry("b", 100), Map.entry("c", 100));
  }

  @Test
  void outstandingRequestsFollowWeightsUnderLoad() {
    BackendPool pool = BackendPool.create(
        List.of(Pools.backend("heavy", 3), Pools.backend("light", 1)), Pools.NO_EJECTION, new ManualClock());
    List<BackendPool.Lease> held = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      held.add(pool.begin(pool.select(Set.of()).orElseThrow()));
    }
    assertThat(get(pool, "heavy").inFlight()).isBetween(290, 310);
    assertThat(get(pool, "light").inFlight()).isBetween(90, 110);

    // Finishing the heavy one's requests sends the next users there.
    held.forEach(l -> l.release(Outcome.SUCCESS));
    assertThat(get(pool, "heavy").inFlight()).isZero();
  }

  @Test
  void skipsExcludedBackends() {
    BackendPool pool = pool("a", "b", "c");
    for (int i = 0; i < 10; i++) {
      assertThat(pick(pool, "a", "c")).isEqualTo("b");
    }
    assertThat(pick(pool, "a", "b", "c")).isEqualTo("none");
  }

  @Test
  void skipsDrainingMaintainedAndDownBackends() {
    BackendPool pool = pool("drain", "maint", "down", "up");
    pool.setAdminState("drain", AdminState.DRAIN);
    pool.setAdminState("maint", AdminState.MAINT);
    pool.reportHealth("down", false, "HTTP 503");

    for (int i = 0; i < 10; i++) {
      assertThat(pick(pool)).isEqualTo("up");
    }
  }

  @Test
  void selectsNothingWhenNoBackendAcceptsNewUsers() {
    BackendPool pool = pool("a", "b");
    pool.setAdminState("a", AdminState.DRAIN);
    pool.reportHealth("b", false, "connect refused");

    assertThat(pool.select(Set.of())).isEmpty();
  }

  @Test
  void emptyPoolSelectsNothing() {
    assertThat(pool().select(List.of())).isEmpty();
  }
}
