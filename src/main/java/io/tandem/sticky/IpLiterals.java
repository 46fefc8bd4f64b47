package io.tandem.sticky;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses IP address literals from untrusted text without ever resolving a name: IPv4 is parsed
 * here octet by octet ({@code InetAddress.getByName("999.1.1.1")} would go to DNS), and only text
 * that contains a colon and nothing but hex digits, colons and dots reaches the JDK's IPv6 parser,
 * which rejects a bad literal without a look-up.
 */
final class IpLiterals {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]{1,44}");

  /** The longest IPv6 literal (45), brackets and a port. */
  private static final int MAX_HOST_PORT_LENGTH = 53;

  private IpLiterals() {}

  /** {@code text} as an address, or empty if it is not exactly one IPv4 or IPv6 literal. */
  static Optional<InetAddress> parse(String text) {
    if (text.length() <= 15 && IPV4.matcher(text).matches()) {
      return ipv4(text);
    }
    if (text.indexOf(':') >= 0 && IPV6.matcher(text).matches()) {
      try {
        return Optional.of(InetAddress.getByName(text));
      } catch (UnknownHostException e) {
        return Optional.empty(); // not a valid IPv6 literal: the caller falls back
      }
    }
    return Optional.empty();
  }

  /**
   * An address as it appears in X-Forwarded-For: a bare literal, or with a port as some proxies
   * write it ({@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711}).
   */
  static Optional<InetAddress> parseHostPort(String text) {
    if (text.length() > MAX_HOST_PORT_LENGTH) {
      return Optional.empty();
    }
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      boolean tailOk = close == text.length() - 1 || (close > 0 && isPort(text, close + 1));
      return close > 0 && tailOk ? parse(text.substring(1, close)) : Optional.empty();
    }
    int colon = text.indexOf(':');
    if (colon > 0 && colon == text.lastIndexOf(':') && isPort(text, colon)) {
      return parse(text.substring(0, colon)).filter(a -> !(a instanceof Inet6Address));
    }
    return parse(text);
  }

  /** The address as key text: canonical, without an IPv6 scope (which names a local interface). */
  static String text(InetAddress address) {
    String s = address.getHostAddress();
    int percent = s.indexOf('%');
    return percent < 0 ? s : s.substring(0, percent);
  }

  /** {@code text} from {@code colon} is ':' and a port number (1-5 digits, at most 65535). */
  private static boolean isPort(String text, int colon) {
    int digits = text.length() - colon - 1;
    if (text.charAt(colon) != ':' || digits < 1 || digits > 5) {
      return false;
    }
    for (int i = colon + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return Integer.parseInt(text, colon + 1, text.length(), 10) <= 65_535;
  }

  private static Optional<InetAddress> ipv4(String text) {
    String[] parts = text.split("\\.");
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      int octet = Integer.parseInt(parts[i]);
      // Leading zeros are refused: some parsers read them as octal, so their meaning is ambiguous.
      if (octet > 255 || (parts[i].length() > 1 && parts[i].charAt(0) == '0')) {
        return Optional.empty();
      }
      bytes[i] = (byte) octet;
    }
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are always an address", e);
    }
  }
}
