package io.tandem.backend;

import static io.tandem.backend.Pools.get;
import static io.tandem.backend.Pools.pool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.config.PassiveConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StateTest {

  @ParameterizedTest(name = "{0} healthy={1} ejected={2} -> {3}")
  @CsvSource({
    "ENABLED, true,  false, UP",
    "ENABLED, false, false, DOWN",
    "ENABLED, true,  true,  DOWN",
    "ENABLED, false, true,  DOWN",
    "DRAIN,   true,  false, DRAIN",
    "DRAIN,   false, false, DOWN",
    "DRAIN,   true,  true,  DOWN",
    "MAINT,   true,  false, MAINT",
    "MAINT,   false, false, MAINT",
    "MAINT,   true,  true,  MAINT",
  })
  void effectiveStateFollowsTheTable(AdminState admin, boolean healthy, boolean ejected, BackendState expected) {
    // Through the pool, with a second backend so the last-usable guard lets the ejection happen.
    BackendPool pool = BackendPool.create(
        Pools.backends("x", "other"), new PassiveConfig(1, Duration.ofSeconds(10), Duration.ofSeconds(10)),
        new ManualClock());
    Backend x = get(pool, "x");
    if (ejected) {
      pool.begin(x).release(Outcome.CONNECT_FAILURE);
    }
    pool.reportHealth("x", healthy, "test");
    pool.setAdminState("x", admin);

    assertThat(x.state()).isEqualTo(expected);
    assertThat(x.adminState()).isEqualTo(admin);
    assertThat(x.healthy()).isEqualTo(healthy);
    assertThat(x.ejected()).isEqualTo(ejected);
  }

  @Test
  void startsEnabledHealthyAndUp() {
    Backend a = get(pool("a"), "a");

    assertThat(a.state()).isEqualTo(BackendState.UP);
    assertThat(a.adminState()).isEqualTo(AdminState.ENABLED);
    assertThat(a.healthy()).isTrue();
    assertThat(a.ejected()).isFalse();
    assertThat(a.inFlight()).isZero();
  }

  @Test
  void drainingBackendKeepsBoundUsersOnly() {
    BackendPool pool = pool("a", "b");
    pool.setAdminState("a", AdminState.DRAIN);

    BackendState state = get(pool, "a").state();
    assertThat(state.acceptsNew()).isFalse();
    assertThat(state.acceptsBound()).isTrue();
  }

  @Test
  void settingAdminStateOfUnknownBackendFails() {
    assertThat(pool("a").setAdminState("nope", AdminState.MAINT)).isFalse();
  }

  @Test
  void healthReportForUnknownBackendIsIgnored() {
    BackendPool pool = pool("a");
    pool.reportHealth("nope", false, "HTTP 500");
    assertThat(get(pool, "a").state()).isEqualTo(BackendState.UP);
  }

  @Test
  void listenersHearEachTransitionWithItsReason() {
    BackendPool pool = pool("a", "b");
    RecordingListener listener = new RecordingListener();
    pool.addListener(listener);

    pool.setAdminState("a", AdminState.DRAIN);
    pool.reportHealth("a", false, "HTTP 503 (3 in a row)");
    pool.setAdminState("a", AdminState.MAINT);
    pool.setAdminState("a", AdminState.ENABLED);
    pool.reportHealth("a", true, "HTTP 200 (2 in a row)");

    assertThat(listener.events).containsExactly(
        "a UP->DRAIN: admin: drain",
        "a DRAIN->DOWN: health check failed: HTTP 503 (3 in a row)",
        "a DOWN->MAINT: admin: maint",
        "a MAINT->DOWN: admin: enabled",
        "a DOWN->UP: health check passed: HTTP 200 (2 in a row)");
  }

  @Test
  void listenersHearNothingWhenTheEffectiveStateStays() {
    BackendPool pool = pool("a");
    pool.setAdminState("a", AdminState.MAINT);
    RecordingListener listener = new RecordingListener();
    pool.addListener(listener);

    pool.reportHealth("a", false, "HTTP 500");
    pool.reportHealth("a", false, "HTTP 500");
    pool.setAdminState("a", AdminState.MAINT);

    assertThat(listener.events).isEmpty();
  }

  @Test
  void listenersRunOutsideThePoolLock() throws Exception {
    BackendPool pool = pool("a", "b");
    pool.addListener((backend, from, to, reason) -> {
      if (backend.id().equals("a")) {
        // Another thread changing the pool would block if the lock were still held.
        Thread other = new Thread(() -> pool.setAdminState("b", AdminState.DRAIN));
        other.start();
        try {
          other.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });

    pool.setAdminState("a", AdminState.MAINT);

    assertThat(get(pool, "b").state()).isEqualTo(BackendState.DRAIN);
  }

  @Test
  void aFailingListenerDoesNotSilenceTheOthers() {
    BackendPool pool = pool("a");
    RecordingListener listener = new RecordingListener();
    pool.addListener((backend, from, to, reason) -> {
      throw new IllegalStateException("boom");
    });
    pool.addListener(listener);

    pool.setAdminState("a", AdminState.DRAIN);

    assertThat(listener.transitions()).containsExactly("a UP->DRAIN");
  }

  @Test
  void refusesDuplicateIds() {
    assertThatThrownBy(() -> BackendPool.create(Pools.backends("a", "a"), Pools.NO_EJECTION, new ManualClock()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backends[1].id");
  }

  @Test
  void listsBackendsInConfiguredOrder() {
    assertThat(pool("c", "a", "b").all()).extracting(Backend::id).isEqualTo(List.of("c", "a", "b"));
  }
}
