package io.tandem.sticky;

import io.tandem.config.Cidr;
import io.tandem.config.StickyMode;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Keys users by client address ({@code "a:" + address}). The TCP peer is the client unless it is
 * a trusted proxy: then X-Forwarded-For is read from the right, skipping trusted proxies, and the
 * first address that is not one is the client (each trusted hop appended the one before it; what
 * lies further left was written by the client and proves nothing). If every listed address is
 * trusted, the left-most is the client. Garbage on that path, or more than {@link #MAX_HOPS} hops,
 * means the header cannot be believed and the peer is used.
 */
final class SourcePolicy implements StickyPolicy {
  static final String PREFIX = "a:";

  /** Far more proxies than any real chain; bounds the work a long header can cause. */
  private static final int MAX_HOPS = 16;

  private final List<Cidr> trustedProxies;

  SourcePolicy(List<Cidr> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  @Override
  public StickyMode mode() {
    return StickyMode.SOURCE;
  }

  @Override
  public Optional<String> keyOf(List<String> cookieHeaders, InetAddress peer, String xForwardedFor) {
    if (peer == null) {
      return Optional.empty();
    }
    InetAddress client = peer;
    if (xForwardedFor != null && trusted(peer)) {
      client = forwardedClient(xForwardedFor).orElse(peer);
    }
    return Optional.of(PREFIX + IpLiterals.text(client));
  }

  private Optional<InetAddress> forwardedClient(String xForwardedFor) {
    int end = xForwardedFor.length();
    for (int hop = 0; hop < MAX_HOPS; hop++) {
      int comma = xForwardedFor.lastIndexOf(',', end - 1);
      Optional<InetAddress> address = IpLiterals.parseHostPort(trimOws(xForwardedFor, comma + 1, end));
      if (address.isEmpty() || !trusted(address.get()) || comma < 0) {
        return address;
      }
      end = comma;
    }
    return Optional.empty();
  }

  /** Strips spaces and tabs only: {@link String#trim()} would also accept control characters. */
  private static String trimOws(String s, int from, int to) {
    int a = from;
    int b = to;
    while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
      a++;
    }
    while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
      b--;
    }
    return s.substring(a, b);
  }

  private boolean trusted(InetAddress address) {
    for (Cidr cidr : trustedProxies) {
      if (cidr.contains(address)) {
        return true;
      }
    }
    return false;
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
    throw new IllegalStateException("sticky mode source inserts no cookie");
  }
}
