package io.tandem.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Strict IP literal parsing that never touches DNS. IPv4 is exactly four decimal octets without
 * leading zeros ({@link InetAddress#getByName} would also take {@code 10.1} or {@code 127.1} and
 * look up anything else); IPv6 is handed to the JDK only when it contains ':', which the JDK always
 * parses as a literal.
 */
final class IpLiterals {
  private static final Pattern V4 =
      Pattern.compile("(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]+");

  private IpLiterals() {}

  /** The address, or null if {@code s} is not an IPv4 or IPv6 literal (zone ids are refused). */
  static InetAddress parse(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    if (V4.matcher(s).matches()) {
      String[] parts = s.split("\\.");
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        b[i] = (byte) Integer.parseInt(parts[i]);
      }
      return byAddress(b);
    }
    if (s.indexOf(':') < 0 || !V6.matcher(s).matches()) {
      return null;
    }
    if (s.indexOf('.') >= 0 && !V4.matcher(s.substring(s.lastIndexOf(':') + 1)).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static InetAddress byAddress(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
