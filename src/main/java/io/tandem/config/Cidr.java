package io.tandem.config;

import java.net.InetAddress;
import java.util.regex.Pattern;

/** An address block such as {@code 10.0.0.0/8} or {@code ::1/128}; literals only, never a DNS look-up. */
public record Cidr(byte[] network, int bits, String text) {
  private static final Pattern PREFIX = Pattern.compile("\\d{1,3}");

  /**
   * Parses {@code addr} or {@code addr/bits}; a bare address is a single host (/32 or /128). An
   * IPv4-mapped IPv6 block ({@code ::ffff:10.0.0.0/104}) becomes its IPv4 block, since the JDK
   * presents such clients as IPv4. Host bits may be set ({@code 10.0.0.1/8} means 10.0.0.0/8).
   */
  public static Cidr parse(String s) {
    String t = s.trim();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    InetAddress ip = IpLiterals.parse(addr);
    if (ip == null) {
      throw new IllegalArgumentException("not an IP literal");
    }
    byte[] bytes = ip.getAddress();
    int width = addr.indexOf(':') >= 0 ? 128 : 32;
    int bits = width;
    if (slash >= 0) {
      String prefix = t.substring(slash + 1);
      if (!PREFIX.matcher(prefix).matches()) {
        throw new IllegalArgumentException("prefix length");
      }
      bits = Integer.parseInt(prefix);
    }
    if (bits > width) {
      throw new IllegalArgumentException("prefix length");
    }
    if (width == 128 && bytes.length == 4) {
      if (bits < 96) {
        throw new IllegalArgumentException("prefix length");
      }
      bits -= 96;
    }
    return new Cidr(bytes, bits, t);
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (a[full] & mask) == (network[full] & mask);
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
