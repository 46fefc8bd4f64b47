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
 * lower-casing copies, and a message whose Connection header names only hop-by-hop headers (the
 * usual {@code keep-alive}) allocates nothing here.
 */
final class Headers {
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

  /**
   * True for a header that never crosses a proxy, in any letter case. Every header of every message
   * passes here: the length picks the one or two names it could be, so most names cost one switch.
   */
  static boolean isHopByHop(String name) {
    switch (name.length()) {
      case 2:
        return name.equalsIgnoreCase("te");
      case 7:
        return name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
      case 10:
        return name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
      case 16:
        return name.equalsIgnoreCase("proxy-connection");
      case 17:
        return name.equalsIgnoreCase("transfer-encoding");
      case 18:
        return name.equalsIgnoreCase("proxy-authenticate");
      case 19:
        return name.equalsIgnoreCase("proxy-authorization");
      default:
        return false;
    }
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

  /**
   * The lower-cased tokens of every Connection header that name a further header to drop, or null
   * when there is none: the usual {@code keep-alive} names a header dropped anyway, so such a
   * message allocates nothing here.
   */
  private static List<String> connectionTokens(MultiMap headers) {
    if (!headers.contains(HttpHeaders.CONNECTION)) {
      return null;
    }
    List<String> out = null;
    for (String v : headers.getAll(HttpHeaders.CONNECTION)) {
      int start = 0;
      while (start <= v.length()) {
        int comma = v.indexOf(',', start);
        int end = comma < 0 ? v.length() : comma;
        String t = v.substring(start, end).trim();
        start = end + 1;
        if (t.isEmpty() || isHopByHop(t)) {
          continue;
        }
        if (out == null) {
          out = new ArrayList<>(2);
        }
        out.add(t.toLowerCase(Locale.ROOT));
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
    for (String v : headers.getAll(HttpHeaders.CONNECTION)) {
      for (String token : v.split(",")) {
        if (token.trim().equalsIgnoreCase("upgrade")) {
          return true;
        }
      }
    }
    return false;
  }
}
