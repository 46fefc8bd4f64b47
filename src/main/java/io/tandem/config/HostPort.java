package io.tandem.config;

import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * An address to bind or connect to, parsed once: {@code 127.0.0.1:8080}, {@code [::1]:8080},
 * {@code 0.0.0.0:80}. The host is an IPv4 literal, a bracketed IPv6 literal or a host name; the
 * loader accepts host names for backends only (a listener or the admin API binds an IP literal).
 * The parser keeps the host as given and never looks a name up.
 */
public record HostPort(String host, int port) {
  private static final Pattern PORT = Pattern.compile("\\d{1,5}");
  private static final Pattern HOST_NAME = Pattern.compile(
      "(?=.{1,253}\\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
          + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

  public HostPort {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port);
    }
  }

  /** Parses {@code host:port}; throws IllegalArgumentException with a short reason. */
  public static HostPort parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("missing");
    }
    String s = text.trim();
    String host;
    String portText;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("bad IPv6 literal");
      }
      host = s.substring(1, close);
      if (host.indexOf(':') < 0 || IpLiterals.parse(host) == null) {
        throw new IllegalArgumentException("bad IPv6 literal");
      }
      portText = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || s.indexOf(':') != colon) {
        throw new IllegalArgumentException("no port");
      }
      host = s.substring(0, colon);
      if (IpLiterals.parse(host) == null && (looksLikeIpv4(host) || !HOST_NAME.matcher(host).matches())) {
        throw new IllegalArgumentException("bad host");
      }
      portText = s.substring(colon + 1);
    }
    return new HostPort(host, port(portText));
  }

  /** A port 0-65535 in plain decimal digits (no sign); throws IllegalArgumentException otherwise. */
  static int port(String text) {
    if (!PORT.matcher(text).matches()) {
      throw new IllegalArgumentException("bad port");
    }
    int port = Integer.parseInt(text);
    if (port > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
    return port;
  }

  /** Whether {@code host} is a syntactically valid DNS host name (RFC 1123 labels, ASCII). */
  static boolean isHostName(String host) {
    return !looksLikeIpv4(host) && HOST_NAME.matcher(host).matches();
  }

  // A dotted all-digit name such as 999.1.1.1 is a mistyped IPv4 address, not a host name.
  private static boolean looksLikeIpv4(String host) {
    return host.matches("[0-9.]+");
  }

  /** The host as an IP address if it is a literal, else null; never a DNS look-up. */
  public InetAddress ip() {
    return IpLiterals.parse(host);
  }

  /** Whether two listeners on these addresses would fight over one socket (same port, overlapping addresses). */
  public boolean overlaps(HostPort other) {
    if (port == 0 || port != other.port) {
      return false;
    }
    InetAddress a = ip();
    InetAddress b = other.ip();
    if (a == null || b == null) {
      return host.equalsIgnoreCase(other.host);
    }
    if (a.equals(b)) {
      return true;
    }
    // [::] is dual-stack on Linux and takes the port for every address; 0.0.0.0 for every IPv4 one.
    boolean v6Any = isAny(a) && a.getAddress().length == 16 || isAny(b) && b.getAddress().length == 16;
    boolean sameFamily = a.getAddress().length == b.getAddress().length;
    return v6Any || sameFamily && (isAny(a) || isAny(b));
  }

  private static boolean isAny(InetAddress a) {
    return a.isAnyLocalAddress();
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
