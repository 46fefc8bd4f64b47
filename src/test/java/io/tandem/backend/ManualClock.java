package io.tandem.backend;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A clock the test moves by hand. */
final class ManualClock implements LongSupplier {
  private final AtomicLong millis = new AtomicLong(1_000_000);

  @Override
  public long getAsLong() {
    return millis.get();
  }

  void advance(Duration d) {
    millis.addAndGet(d.toMillis());
  }
}
