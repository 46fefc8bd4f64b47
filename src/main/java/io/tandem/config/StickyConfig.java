package io.tandem.config;

import java.time.Duration;
import java.util.List;

/**
 * Sticky sessions. {@code cookie} is the application's cookie in learn mode and Tandem's own in
 * insert mode. {@code trustedProxies} are the peers whose X-Forwarded-For is believed in source mode.
 */
public record StickyConfig(
    StickyMode mode, String cookie, Duration idleTimeout, List<Cidr> trustedProxies, int maxEntries) {
  public StickyConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }
}
