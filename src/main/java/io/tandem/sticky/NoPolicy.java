package io.tandem.sticky;

import io.tandem.config.StickyMode;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** Mode none: no user has a key, so every request is balanced afresh. */
enum NoPolicy implements StickyPolicy {
  INSTANCE;

  @Override
  public StickyMode mode() {
    return StickyMode.NONE;
  }

  @Override
  public Optional<String> keyOf(List<String> cookieHeaders, InetAddress peer, String xForwardedFor) {
    return Optional.empty();
  }

  @Override
  public Optional<String> learnedKey(List<String> setCookieHeaders) {
    return Optional.empty();
  }

  @Override
  public Optional<String> newInsertedKey() {
    return Optional.empty();
  }

  @Override
  public String insertCookie(String key, boolean secure) {
    throw new IllegalStateException("sticky mode none inserts no cookie");
  }
}
