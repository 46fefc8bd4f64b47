package io.tandem.sticky;

import io.tandem.config.StickyMode;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Follows the application's own session cookie: the key is its value, read from the request's
 * {@code Cookie} and learned from the response's {@code Set-Cookie}. Keys are {@code "c:" + value}.
 */
final class LearnPolicy implements StickyPolicy {
  static final String PREFIX = "c:";

  private final String cookie;
  private final LongSupplier clockMillis;

  LearnPolicy(String cookie, LongSupplier clockMillis) {
    this.cookie = Objects.requireNonNull(cookie, "cookie");
    this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
  }

  @Override
  public StickyMode mode() {
    return StickyMode.LEARN;
  }

  @Override
  public Optional<String> keyOf(List<String> cookieHeaders, InetAddress peer, String xForwardedFor) {
    return Cookies.first(cookieHeaders, cookie).map(v -> PREFIX + v);
  }

  @Override
  public Optional<String> learnedKey(List<String> setCookieHeaders) {
    return Cookies.set(setCookieHeaders, cookie, clockMillis.getAsLong()).map(v -> PREFIX + v);
  }

  @Override
  public Optional<String> newInsertedKey() {
    return Optional.empty();
  }

  @Override
  public String insertCookie(String key, boolean secure) {
    throw new IllegalStateException("sticky mode learn inserts no cookie");
  }
}
