package io.tandem.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An address block such as {@code 10.0.0.0/8} or {@code ::1/128}; literals only, never a DNS look-up. */
public record Cidr(byte[] network, int bits, String text) {
  private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

  public static Cidr parse(String s) {
    String t = s.trim();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    if (!LITERAL.matcher(addr).matches()) {
      throw new IllegalArgumentException("not an IP literal");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(addr).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal");
    }
    int bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(t.substring(slash + 1));
    if (bits < 0 || bits > bytes.length * 8) {
      throw new IllegalArgumentException("prefix length");
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
