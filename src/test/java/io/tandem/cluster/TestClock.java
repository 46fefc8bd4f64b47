package io.tandem.cluster;

import java.time.Duration;
import java.util.function.LongSupplier;

/** Wall-clock milliseconds that move only when a test says so. */
final class TestClock implements LongSupplier {
  private volatile long millis = 1_700_000_000_000L;

  @Override
  public long getAsLong() {
    return millis;
  }

  void advance(Duration d) {
    millis += d.toMillis();
  }
}
