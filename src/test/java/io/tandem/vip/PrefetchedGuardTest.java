package io.tandem.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** An early check serves the one takeover that follows soon enough, and no other. */
class PrefetchedGuardTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final List<GuardVerdict> answers = new ArrayList<>(List.of(GuardVerdict.FREE, GuardVerdict.HELD_ALIVE,
      GuardVerdict.HELD_UNRESPONSIVE));
  int checks;
  final TakeoverGuard probe = () -> {
    checks++;
    return Future.succeededFuture(answers.remove(0));
  };
  final PrefetchedGuard guard = new PrefetchedGuard(probe, Duration.ofMillis(30), now::get);

  @Test
  void withoutAnEarlyCheckEachTakeoverRunsItsOwn() {
    assertThat(guard.check().result()).isEqualTo(GuardVerdict.FREE);
    assertThat(guard.check().result()).isEqualTo(GuardVerdict.HELD_ALIVE);
    assertThat(checks).isEqualTo(2);
  }

  @Test
  void anEarlyCheckServesTheNextTakeoverOnce() {
    guard.prefetch();
    assertThat(checks).isEqualTo(1);
    now.addAndGet(Duration.ofMillis(30).toNanos());
    assertThat(guard.check().result()).isEqualTo(GuardVerdict.FREE);
    assertThat(checks).isEqualTo(1);
    // Used up: the next takeover probes again.
    assertThat(guard.check().result()).isEqualTo(GuardVerdict.HELD_ALIVE);
    assertThat(checks).isEqualTo(2);
  }

  @Test
  void anEarlyCheckTooOldIsNotUsed() {
    guard.prefetch();
    now.addAndGet(Duration.ofMillis(31).toNanos());
    assertThat(guard.check().result()).isEqualTo(GuardVerdict.HELD_ALIVE);
    assertThat(checks).isEqualTo(2);
  }

  @Test
  void theLatestEarlyCheckCounts() {
    guard.prefetch();
    guard.prefetch();
    assertThat(guard.check().result()).isEqualTo(GuardVerdict.HELD_ALIVE);
  }
}
