package io.tandem.sticky;

import io.tandem.config.StickyMode;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Reads a user's key from a request and learns or issues keys from responses, per sticky mode.
 * Pure functions of headers and addresses: no I/O, no state but a random source for insert ids.
 */
public interface StickyPolicy {
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

  /** The {@code Set-Cookie} value that hands an inserted key to the client. */
  String insertCookie(String key, boolean secure);
}
