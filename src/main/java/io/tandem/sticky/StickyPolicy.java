package io.tandem.sticky;

import io.tandem.config.StickyConfig;
import io.tandem.config.StickyMode;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Reads a user's key from a request and learns or issues keys from responses, per sticky mode.
 * Pure functions of headers and addresses: no I/O, no state but a random source for insert ids.
 */
public interface StickyPolicy {

  /**
   * The policy of {@code config.mode()}, comparing Set-Cookie expiry dates with the system clock.
   *
   * @param random the source of inserted ids: must be thread-safe and unpredictable
   *     ({@link java.security.SecureRandom}), since an inserted id is all that ties a user to a backend
   */
  static StickyPolicy create(StickyConfig config, RandomGenerator random) {
    return create(config, random, System::currentTimeMillis);
  }

  /** As {@link #create(StickyConfig, RandomGenerator)}, with the clock that dates Set-Cookie expiry. */
  static StickyPolicy create(StickyConfig config, RandomGenerator random, LongSupplier clockMillis) {
    return switch (config.mode()) {
      case LEARN -> new LearnPolicy(config.cookie(), clockMillis);
      case INSERT -> new InsertPolicy(config.cookie(), random);
      case SOURCE -> new SourcePolicy(config.trustedProxies());
      case NONE -> NoPolicy.INSTANCE;
    };
  }
  StickyMode mode();

  /**
   * The key of the user making this request, or empty (a new user, or mode none).
   *
   * @param cookieHeaders every {@code Cookie} header value of the request
   * @param peer the TCP peer's address
   * @param xForwardedFor the request's X-Forwarded-For value, or null; believed only from trusted proxies
   */
  Optional<String> keyOf(List<String> cookieHeaders, InetAddress peer, String xForwardedFor);

  /** In learn mode, the session key a response sets ({@code Set-Cookie} values), else empty. */
  Optional<String> learnedKey(List<String> setCookieHeaders);

  /** In insert mode, a fresh opaque key (never derived from an address); empty in other modes. */
  Optional<String> newInsertedKey();

  /**
   * The {@code Set-Cookie} value that hands an inserted key (from {@link #newInsertedKey()}) to the
   * client.
   *
   * @throws IllegalArgumentException if {@code key} is not an inserted key
   * @throws IllegalStateException in modes other than insert
   */
  String insertCookie(String key, boolean secure);
}
