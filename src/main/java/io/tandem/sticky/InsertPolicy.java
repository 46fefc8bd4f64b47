package io.tandem.sticky;

import io.tandem.config.StickyMode;
import java.net.InetAddress;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Tandem's own cookie: an opaque id of 128 random bits (22 base64url characters), never derived
 * from an address. Keys are {@code "i:" + id}. A cookie that is not in exactly that shape is
 * ignored, so garbage never reaches the table; a well-formed guess can only ever find a binding to
 * a configured backend.
 */
final class InsertPolicy implements StickyPolicy {
  static final String PREFIX = "i:";

  /** 128 bits make 21 full base64 characters and 2 bits more, so the last one is A, Q, g or w. */
  private static final int ID_LENGTH = 22;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final String cookie;
  private final RandomGenerator random;

  InsertPolicy(String cookie, RandomGenerator random) {
    this.cookie = Objects.requireNonNull(cookie, "cookie");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public StickyMode mode() {
    return StickyMode.INSERT;
  }

  @Override
  public Optional<String> keyOf(List<String> cookieHeaders, InetAddress peer, String xForwardedFor) {
    return Cookies.first(cookieHeaders, cookie).filter(InsertPolicy::isId).map(v -> PREFIX + v);
  }

  @Override
  public Optional<String> learnedKey(List<String> setCookieHeaders) {
    return Optional.empty();
  }

  @Override
  public Optional<String> newInsertedKey() {
    byte[] bits = new byte[16];
    random.nextBytes(bits);
    return Optional.of(PREFIX + ENCODER.encodeToString(bits));
  }

  @Override
  public String insertCookie(String key, boolean secure) {
    String id = key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : "";
    if (!isId(id)) {
      throw new IllegalArgumentException("key: " + key + " (expected: an inserted key)");
    }
    return cookie + "=" + id + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
  }

  /** The shape {@code [A-Za-z0-9_-]{21}[AQgw]}, checked by hand: it runs for every request. */
  private static boolean isId(String value) {
    if (value.length() != ID_LENGTH) {
      return false;
    }
    for (int i = 0; i < ID_LENGTH - 1; i++) {
      char c = value.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    char last = value.charAt(ID_LENGTH - 1);
    return last == 'A' || last == 'Q' || last == 'g' || last == 'w';
  }
}
