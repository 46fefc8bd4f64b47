package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
  private static InetAddress ip(String literal) {
    return IpLiterals.parse(literal);
  }

  @Test
  void containsIpv4() {
    Cidr c = Cidr.parse("10.1.0.0/16");
    assertThat(c.contains(ip("10.1.255.7"))).isTrue();
    assertThat(c.contains(ip("10.2.0.1"))).isFalse();
  }

  @Test
  void containsWithPrefixNotOnAByteBoundary() {
    Cidr c = Cidr.parse("192.168.0.0/23");
    assertThat(c.contains(ip("192.168.1.200"))).isTrue();
    assertThat(c.contains(ip("192.168.2.1"))).isFalse();
  }

  @Test
  void containsIpv6() {
    Cidr c = Cidr.parse("fd00:1::/32");
    assertThat(c.contains(ip("fd00:1::5"))).isTrue();
    assertThat(c.contains(ip("fd00:2::5"))).isFalse();
  }

  @Test
  void prefixZeroContainsEveryAddressOfItsFamily() {
    assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
    assertThat(Cidr.parse("::/0").contains(ip("2001:db8::1"))).isTrue();
    assertThat(Cidr.parse("::/0").contains(ip("203.0.113.9"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
  }

  @Test
  void fullPrefixAndBareAddressAreOneHost() {
    assertThat(Cidr.parse("10.0.0.1/32").contains(ip("10.0.0.1"))).isTrue();
    assertThat(Cidr.parse("10.0.0.1/32").contains(ip("10.0.0.2"))).isFalse();
    assertThat(Cidr.parse("10.0.0.1").bits()).isEqualTo(32);
    assertThat(Cidr.parse("::1/128").contains(ip("::1"))).isTrue();
    assertThat(Cidr.parse("::1").contains(ip("::2"))).isFalse();
    assertThat(Cidr.parse("::1").bits()).isEqualTo(128);
  }

  @Test
  void ipv4MappedBlockMatchesIpv4Clients() {
    assertThat(Cidr.parse("::ffff:10.0.0.0/104").contains(ip("10.9.9.9"))).isTrue();
  }

  @Test
  void refusesPrefixOutOfRange() {
    for (String s : new String[] {"10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/", "10.0.0.0/+8", "10.0.0.0/x",
        "::ffff:10.0.0.0/64"}) {
      assertThatThrownBy(() -> Cidr.parse(s)).as(s).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void refusesHostNamesAndShortFormsWithoutDns() {
    // Each of these would be looked up or accepted by InetAddress.getByName.
    for (String s : new String[] {"localhost", "cafe", "dead:beef", "face/8", "example.com/24", "127.1", "10.1.2",
        "1", "010.0.0.1", "256.0.0.1", "fe80::1%eth0", ""}) {
      assertThatThrownBy(() -> Cidr.parse(s)).as(s).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void equalsByText() {
    assertThat(Cidr.parse("10.0.0.0/8")).isEqualTo(Cidr.parse(" 10.0.0.0/8 ")).hasToString("10.0.0.0/8");
  }
}
