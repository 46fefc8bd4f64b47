package io.tandem.sticky;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads one cookie from {@code Cookie} and {@code Set-Cookie} headers (RFC 6265). Lenient about
 * whitespace, strict about values: a value that is empty, too long or has characters outside
 * {@code cookie-octet} is treated as absent, never an error. Scans forward once, no regex,
 * so a huge header costs linear time.
 */
final class Cookies {

  /** Longest value taken as a key: keys live in the sticky table, so a 4 KB cookie must not. */
  static final int MAX_VALUE_LENGTH = 256;

  /** Longer Expires values are not dates; skipping them bounds the parsing work. */
  private static final int MAX_EXPIRES_LENGTH = 64;

  private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME;
  /** The Netscape form many servers still send when deleting: {@code Thu, 01-Jan-1970 00:00:00 GMT}. */
  private static final DateTimeFormatter NETSCAPE =
      DateTimeFormatter.ofPattern("EEE, dd-MMM-yyyy HH:mm:ss zzz", Locale.US);

  private Cookies() {}

  /** The value of the first cookie called {@code name} across {@code cookieHeaders}, in order. */
  static Optional<String> first(List<String> cookieHeaders, String name) {
    if (cookieHeaders == null) {
      return Optional.empty();
    }
    for (String header : cookieHeaders) {
      if (header == null) {
        continue;
      }
      int pos = 0;
      while (pos < header.length()) {
        int end = indexOrLength(header, ';', pos);
        int eq = indexWithin(header, '=', pos, end);
        if (eq >= 0 && nameIs(header, pos, eq, name)) {
          // The first occurrence decides, even if its value is bad: a later one may be a decoy.
          return value(header, eq + 1, end);
        }
        pos = end + 1;
      }
    }
    return Optional.empty();
  }

  /**
   * The value the last {@code Set-Cookie} for {@code name} sets (the browser applies them in
   * order); empty when that one deletes the cookie (empty value, {@code Max-Age <= 0}, or an
   * {@code Expires} before {@code nowMillis}) or is malformed. Attributes are otherwise ignored.
   */
  static Optional<String> set(List<String> setCookieHeaders, String name, long nowMillis) {
    Optional<String> result = Optional.empty();
    if (setCookieHeaders == null) {
      return result;
    }
    for (String header : setCookieHeaders) {
      if (header == null) {
        continue;
      }
      int end = indexOrLength(header, ';', 0);
      int eq = indexWithin(header, '=', 0, end);
      if (eq >= 0 && nameIs(header, 0, eq, name)) {
        result = deletes(header, end, nowMillis) ? Optional.empty() : value(header, eq + 1, end);
      }
    }
    return result;
  }

  /** Whether the attributes after {@code from} expire the cookie; Max-Age wins over Expires. */
  private static boolean deletes(String header, int from, long nowMillis) {
    Boolean byMaxAge = null;
    Boolean byExpires = null;
    int pos = from + 1;
    while (pos < header.length()) {
      int end = indexOrLength(header, ';', pos);
      int eq = indexWithin(header, '=', pos, end);
      if (eq >= 0) {
        String attr = header.substring(pos, eq).trim();
        String val = header.substring(eq + 1, end).trim();
        if (attr.equalsIgnoreCase("max-age")) {
          byMaxAge = maxAgeDeletes(val);
        } else if (attr.equalsIgnoreCase("expires")) {
          byExpires = expiresDeletes(val, nowMillis);
        }
      }
      pos = end + 1;
    }
    if (byMaxAge != null) {
      return byMaxAge;
    }
    return byExpires != null && byExpires;
  }

  /** RFC 6265 5.2.2: a leading '-' or digit, then digits; anything else is ignored (null). */
  private static Boolean maxAgeDeletes(String val) {
    if (val.isEmpty() || val.length() > 32) {
      return null;
    }
    boolean negative = val.charAt(0) == '-';
    int start = negative ? 1 : 0;
    if (start == val.length()) {
      return null;
    }
    boolean zero = true;
    for (int i = start; i < val.length(); i++) {
      char c = val.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      zero &= c == '0';
    }
    return negative || zero;
  }

  private static Boolean expiresDeletes(String val, long nowMillis) {
    if (val.length() > MAX_EXPIRES_LENGTH) {
      return null;
    }
    for (DateTimeFormatter f : new DateTimeFormatter[] {RFC_1123, NETSCAPE}) {
      try {
        return ZonedDateTime.parse(val, f).toInstant().toEpochMilli() < nowMillis;
      } catch (DateTimeParseException e) {
        // try the next form; a date in neither is ignored, as a browser would
      }
    }
    return null;
  }

  private static boolean nameIs(String s, int from, int to, String name) {
    int a = skipSpace(s, from, to);
    int b = to;
    while (b > a && isSpace(s.charAt(b - 1))) {
      b--;
    }
    return b - a == name.length() && s.regionMatches(a, name, 0, name.length());
  }

  private static Optional<String> value(String s, int from, int to) {
    int a = skipSpace(s, from, to);
    int b = to;
    while (b > a && isSpace(s.charAt(b - 1))) {
      b--;
    }
    if (b - a >= 2 && s.charAt(a) == '"' && s.charAt(b - 1) == '"') {
      a++;
      b--;
    }
    if (a == b || b - a > MAX_VALUE_LENGTH) {
      return Optional.empty();
    }
    for (int i = a; i < b; i++) {
      if (!isCookieOctet(s.charAt(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(s.substring(a, b));
  }

  /** RFC 6265 cookie-octet: visible ASCII except DQUOTE, comma, semicolon and backslash. */
  private static boolean isCookieOctet(char c) {
    return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
  }

  private static int skipSpace(String s, int from, int to) {
    int i = from;
    while (i < to && isSpace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t';
  }

  /** Bounded search: an unbounded one would make a header of many '='-less pairs quadratic. */
  private static int indexWithin(String s, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOrLength(String s, char c, int from) {
    int i = s.indexOf(c, from);
    return i < 0 ? s.length() : i;
  }
}
