package io.tandem.config;

import java.time.Duration;

/**
 * Passive ejection (outlier detection): {@code consecutiveFailures} connect failures or 5xx in a
 * row take a backend out for {@code ejectTime} (doubling on each repeat up to {@code maxEjectTime});
 * 0 failures turns it off.
 */
public record PassiveConfig(int consecutiveFailures, Duration ejectTime, Duration maxEjectTime) {
  public boolean enabled() {
    return consecutiveFailures > 0;
  }
}
