package io.tandem.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hop-by-hop header handling (RFC 9110 7.6.1): these headers describe one connection and must not
 * cross the proxy, nor any header the Connection header names.
 *
 * <p>Runs twice per proxied request (request and response headers), so names are compared without
 * lower-casing copies, and a message without a Connection header allocates nothing here.
 */
final class Headers {
  private static final List<String> HOP_BY_HOP = List.of(
      "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
      "te", "trailer", "transfer-encoding", "upgrade");

  private Headers() {}

  /** Copies {@code from} into {@code to} without hop-by-hop headers. */
  static void copyEndToEnd(MultiMap from, MultiMap to) {
    List<String> named = connectionTokens(from);
    for (var e : from) {
      String name = e.getKey();
      if (!isHopByHop(name) && (named == null || !containsIgnoreCase(named, name)) && !name.startsWith(":")) {
        to.add(name, e.getValue());
      }
    }
  }

  /** True for a header that never crosses a proxy, in any letter case. */
  static boolean isHopByHop(String name) {
    return containsIgnoreCase(HOP_BY_HOP, name);
  }

  private static boolean containsIgnoreCase(List<String> names, String name) {
    for (int i = 0; i < names.size(); i++) {
      String h = names.get(i);
      // Lengths differ for most pairs: the cheap test first.
      if (h.length() == name.length() && h.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** The lower-cased tokens of every Connection header, or null when there is none. */
  private static List<String> connectionTokens(MultiMap headers) {
    if (!headers.contains(HttpHeaders.CONNECTION)) {
      return null;
    }
    List<String> out = null;
    for (String v : headers.getAll(HttpHeaders.CONNECTION)) {
      for (String token : v.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          if (out == null) {
            out = new ArrayList<>(2);
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
    List<String> tokens = connectionTokens(headers);
    return tokens != null && tokens.contains("upgrade");
  }
}
