package io.tandem.backend;

import static io.tandem.backend.Pools.backends;
import static io.tandem.backend.Pools.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.PassiveConfig;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PassiveEjectionTest {
  private static final PassiveConfig THREE_FOR_10S =
      new PassiveConfig(3, Duration.ofSeconds(10), Duration.ofSeconds(35));

  private final ManualClock clock = new ManualClock();
  private final RecordingListener listener = new RecordingListener();
  private BackendPool pool;
  private Backend a;

  @BeforeEach
  void setUp() {
    pool = BackendPool.create(backends("a", "b"), THREE_FOR_10S, clock);
    pool.addListener(listener);
    a = get(pool, "a");
  }

  private void outcomes(Backend backend, Outcome... outcomes) {
    for (Outcome o : outcomes) {
      pool.begin(backend).release(o);
    }
  }

  private void fail(Backend backend, int times) {
    for (int i = 0; i < times; i++) {
      outcomes(backend, Outcome.CONNECT_FAILURE);
    }
  }

  @Test
  void ejectsAfterConsecutiveConnectFailures() {
    fail(a, 2);
    assertThat(a.state()).isEqualTo(BackendState.UP);

    fail(a, 1);

    assertThat(a.ejected()).isTrue();
    assertThat(a.state()).isEqualTo(BackendState.DOWN);
    assertThat(a.healthy()).isTrue();
    assertThat(listener.events).containsExactly("a UP->DOWN: ejected for 10s after 3 failures in a row");
  }

  @Test
  void serverErrorsAndBrokenExchangesCountAsFailures() {
    outcomes(a, Outcome.SERVER_ERROR, Outcome.FAILURE, Outcome.CONNECT_FAILURE);

    assertThat(a.state()).isEqualTo(BackendState.DOWN);
  }

  @Test
  void successResetsTheFailureCount() {
    outcomes(a, Outcome.SERVER_ERROR, Outcome.SERVER_ERROR, Outcome.SUCCESS,
        Outcome.SERVER_ERROR, Outcome.SERVER_ERROR);

    assertThat(a.state()).isEqualTo(BackendState.UP);
  }

  @Test
  void cancelledRequestsNeitherCountNorReset() {
    outcomes(a, Outcome.SERVER_ERROR, Outcome.CANCELLED, Outcome.SERVER_ERROR);
    assertThat(a.state()).isEqualTo(BackendState.UP);

    outcomes(a, Outcome.CANCELLED, Outcome.SERVER_ERROR);
    assertThat(a.state()).isEqualTo(BackendState.DOWN);
  }

  @Test
  void ejectedBackendGetsNoNewUsers() {
    fail(a, 3);

    for (int i = 0; i < 5; i++) {
      assertThat(pool.select(Set.of()).map(Backend::id)).contains("b");
    }
  }

  @Test
  void ejectionEndsWhenTheClockPassesTheEjectTime() {
    fail(a, 3);
    clock.advance(Duration.ofMillis(9_999));
    assertThat(a.state()).isEqualTo(BackendState.DOWN);

    clock.advance(Duration.ofMillis(1));

    assertThat(a.state()).isEqualTo(BackendState.UP);
    assertThat(a.ejected()).isFalse();
    assertThat(listener.events).last().isEqualTo("a DOWN->UP: ejection over");
  }

  @Test
  void selectionNoticesTheEndOfAnEjection() {
    fail(a, 3);
    clock.advance(Duration.ofSeconds(10));

    assertThat(pool.select(Set.of("b")).map(Backend::id)).contains("a");
    assertThat(listener.events).last().isEqualTo("a DOWN->UP: ejection over");
  }

  @Test
  void tickAnnouncesTheEndOfAnEjectionWithoutTraffic() {
    fail(a, 3);
    clock.advance(Duration.ofSeconds(10));
    assertThat(listener.transitions()).containsExactly("a UP->DOWN");

    pool.tick();

    assertThat(listener.transitions()).containsExactly("a UP->DOWN", "a DOWN->UP");
  }

  @Test
  void repeatedEjectionDoublesTheTimeUpToTheMaximum() {
    long[] expected = {10, 20, 35, 35};
    for (long seconds : expected) {
      fail(a, 3);
      assertThat(listener.events).last().asString().contains("ejected for " + seconds + "s");
      clock.advance(Duration.ofSeconds(seconds).minusMillis(1));
      assertThat(a.state()).isEqualTo(BackendState.DOWN);
      clock.advance(Duration.ofMillis(1));
      assertThat(a.state()).isEqualTo(BackendState.UP);
    }
  }

  @Test
  void successAfterComingBackResetsTheBackOff() {
    fail(a, 3);
    clock.advance(Duration.ofSeconds(10));
    fail(a, 3);
    assertThat(listener.events).last().asString().contains("ejected for 20s");
    clock.advance(Duration.ofSeconds(20));

    outcomes(a, Outcome.SUCCESS);
    fail(a, 3);

    assertThat(listener.events).last().asString().contains("ejected for 10s");
  }

  @Test
  void ignoresOutcomesOfRequestsSentBeforeTheEjection() {
    BackendPool.Lease slowSuccess = pool.begin(a);
    BackendPool.Lease slowFailure = pool.begin(a);
    fail(a, 3);

    slowSuccess.release(Outcome.SUCCESS);
    slowFailure.release(Outcome.FAILURE);
    clock.advance(Duration.ofSeconds(10));
    assertThat(a.state()).isEqualTo(BackendState.UP);

    // The success was ignored, so the back-off still doubles; the failure was not counted either.
    fail(a, 2);
    assertThat(a.state()).isEqualTo(BackendState.UP);
    fail(a, 1);
    assertThat(listener.events).last().asString().contains("ejected for 20s");
  }

  @Test
  void zeroConsecutiveFailuresTurnsEjectionOff() {
    pool = BackendPool.create(backends("a", "b"), Pools.NO_EJECTION, clock);
    a = get(pool, "a");

    fail(a, 100);

    assertThat(a.state()).isEqualTo(BackendState.UP);
    assertThat(a.ejected()).isFalse();
  }

  @Test
  void neverEjectsTheLastBackendThatAcceptsNewUsers() {
    Backend b = get(pool, "b");
    fail(a, 3);

    fail(b, 10);

    assertThat(b.state()).isEqualTo(BackendState.UP);
    assertThat(pool.select(Set.of()).map(Backend::id)).contains("b");
  }

  @Test
  void ejectsAtTheNextFailureOnceAnotherBackendIsUsableAgain() {
    Backend b = get(pool, "b");
    fail(a, 3);
    fail(b, 5);
    clock.advance(Duration.ofSeconds(10));

    fail(b, 1);

    assertThat(a.state()).isEqualTo(BackendState.UP);
    assertThat(b.state()).isEqualTo(BackendState.DOWN);
  }

  @Test
  void guardCountsDrainingAndDownBackendsAsUnusable() {
    pool.setAdminState("b", AdminState.DRAIN);

    fail(a, 5);

    assertThat(a.state()).isEqualTo(BackendState.UP);
  }

  @Test
  void liftsEjectionWhenHealthChecksTakeOutTheRest() {
    fail(a, 3);

    pool.reportHealth("b", false, "HTTP 503 (3 in a row)");

    assertThat(a.state()).isEqualTo(BackendState.UP);
    assertThat(listener.events).containsExactly(
        "a UP->DOWN: ejected for 10s after 3 failures in a row",
        "a DOWN->UP: ejection lifted: no other backend accepts new users",
        "b UP->DOWN: health check failed: HTTP 503 (3 in a row)");
  }

  @Test
  void maintenanceWinsOverEjection() {
    pool.setAdminState("a", AdminState.MAINT);
    fail(a, 3);
    assertThat(a.ejected()).isTrue();
    assertThat(a.state()).isEqualTo(BackendState.MAINT);

    pool.setAdminState("a", AdminState.ENABLED);

    assertThat(a.state()).isEqualTo(BackendState.DOWN);
  }
}
