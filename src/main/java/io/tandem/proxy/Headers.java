package io.tandem.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Hop-by-hop header handling (RFC 9110 7.6.1): these headers describe one connection and must not
 * cross the proxy, nor any header the Connection header names.
 */
final class Headers {
  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
      "te", "trailer", "transfer-encoding", "upgrade");

  private Headers() {}

  /** Copies {@code from} into {@code to} without hop-by-hop headers. */
  static void copyEndToEnd(MultiMap from, MultiMap to) {
    Set<String> named = connectionTokens(from);
    for (var e : from) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name) && (named == null || !named.contains(name)) && !name.startsWith(":")) {
        to.add(e.getKey(), e.getValue());
      }
    }
  }

  private static Set<String> connectionTokens(MultiMap headers) {
    Set<String> out = null;
    for (String v : headers.getAll(HttpHeaders.CONNECTION)) {
      for (String token : v.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          if (out == null) {
            out = new HashSet<>();
          }
          out.add(t);
        }
      }
    }
    return out;
  }

  /** True for an HTTP/1.1 WebSocket (or other) upgrade request. */
  static boolean isUpgrade(MultiMap headers) {
    String upgrade = headers.get(HttpHeaders.UPGRADE);
    if (upgrade == null) {
      return false;
    }
    Set<String> tokens = connectionTokens(headers);
    return tokens != null && tokens.contains("upgrade");
  }
}
