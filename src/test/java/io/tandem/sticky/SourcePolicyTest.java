package io.tandem.sticky;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.Cidr;
import io.tandem.config.StickyConfig;
import io.tandem.config.StickyMode;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SourcePolicyTest {
  private final StickyPolicy policy = StickyPolicy.create(
      new StickyConfig(StickyMode.SOURCE, "JSESSIONID", Duration.ofMinutes(30),
          List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")), 1000),
      new SplittableRandom(1));

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  private String key(String peer, String xForwardedFor) throws Exception {
    return policy.keyOf(List.of("JSESSIONID=abc"), ip(peer), xForwardedFor).orElse(null);
  }

  @Test
  void theKeyIsThePeerAddress() throws Exception {
    assertThat(key("192.0.2.7", null)).isEqualTo("a:192.0.2.7");
  }

  @Test
  void xForwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
    assertThat(key("192.0.2.7", "203.0.113.5")).isEqualTo("a:192.0.2.7");
  }

  @Test
  void behindTrustedProxiesTheRightMostUntrustedAddressIsTheClient() throws Exception {
    // 198.51.100.9 is what the client claimed; the first trusted proxy saw 203.0.113.5.
    assertThat(key("10.0.0.1", "198.51.100.9, 203.0.113.5, 10.0.0.2")).isEqualTo("a:203.0.113.5");
    assertThat(key("10.0.0.1", "203.0.113.5")).isEqualTo("a:203.0.113.5");
  }

  @Test
  void whenEveryListedAddressIsTrustedTheLeftMostIsTheClient() throws Exception {
    assertThat(key("10.0.0.1", "10.9.9.9,10.0.0.2")).isEqualTo("a:10.9.9.9");
  }

  @Test
  void garbageOnTheTrustedPathFallsBackToThePeer() throws Exception {
    for (String xff : List.of("", " ", "unknown", "not an ip", "999.1.1.1", "1.2.3", "01.2.3.4",
        "203.0.113.5, ,10.0.0.2", "203.0.113.5,", "1.2.3.4:99999", "[2001:db8::1", "::g",
        "2001:db8::1%eth0", "1.2.3.4\u0000", "x".repeat(100_000))) {
      assertThat(key("10.0.0.1", xff)).as(xff).isEqualTo("a:10.0.0.1");
    }
  }

  @Test
  void garbageLeftOfTheClientDoesNotMatter() throws Exception {
    assertThat(key("10.0.0.1", "garbage, 203.0.113.5")).isEqualTo("a:203.0.113.5");
  }

  @Test
  void namesAreNeverResolved() throws Exception {
    assertThat(key("10.0.0.1", "localhost")).isEqualTo("a:10.0.0.1");
    assertThat(key("10.0.0.1", "example.com")).isEqualTo("a:10.0.0.1");
  }

  @Test
  void tooManyTrustedHopsFallBackToThePeer() throws Exception {
    String hops = String.join(",", Collections.nCopies(40, "10.0.0.3"));
    assertThat(key("10.0.0.1", "203.0.113.5," + hops)).isEqualTo("a:10.0.0.1");
  }

  @Test
  void portsWrittenByProxiesAreDropped() throws Exception {
    assertThat(key("10.0.0.1", "203.0.113.5:4711")).isEqualTo("a:203.0.113.5");
    assertThat(key("10.0.0.1", "[2001:db8::5]:4711")).isEqualTo("a:2001:db8:0:0:0:0:0:5");
    assertThat(key("10.0.0.1", "[2001:db8::5]")).isEqualTo("a:2001:db8:0:0:0:0:0:5");
  }

  @Test
  void ipv6PeersAndTrustedIpv6Proxies() throws Exception {
    assertThat(key("2001:db8::7", null)).isEqualTo("a:2001:db8:0:0:0:0:0:7");
    assertThat(key("fd00::1", "2001:db8::5, fd00::2")).isEqualTo("a:2001:db8:0:0:0:0:0:5");
    assertThat(key("2001:db8::7", "2001:db8::5")).isEqualTo("a:2001:db8:0:0:0:0:0:7");
  }

  @Test
  void anIpv4MappedIpv6AddressIsTheSameUserAsItsIpv4Address() throws Exception {
    assertThat(key("10.0.0.1", "::ffff:203.0.113.5")).isEqualTo(key("203.0.113.5", null));
  }

  @Test
  void theScopeOfAnIpv6PeerIsNotPartOfTheKey() throws Exception {
    InetAddress scoped = Inet6Address.getByAddress(null, ip("fe80::1").getAddress(), 3);

    assertThat(policy.keyOf(List.of(), scoped, null)).contains("a:fe80:0:0:0:0:0:0:1");
  }

  @Test
  void noPeerMeansNoKey() {
    assertThat(policy.keyOf(List.of(), null, "203.0.113.5")).isEmpty();
  }

  @Test
  void readsNoCookiesAndIssuesNone() {
    assertThat(policy.mode()).isEqualTo(StickyMode.SOURCE);
    assertThat(policy.learnedKey(List.of("JSESSIONID=abc"))).isEmpty();
    assertThat(policy.newInsertedKey()).isEmpty();
  }
}
