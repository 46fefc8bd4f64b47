package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void parsesIpv4AndPort() {
    assertThat(HostPort.parse("0.0.0.0:80")).isEqualTo(new HostPort("0.0.0.0", 80));
  }

  @Test
  void parsesBracketedIpv6() {
    HostPort hp = HostPort.parse("[::1]:80");
    assertThat(hp).isEqualTo(new HostPort("::1", 80));
    assertThat(hp).hasToString("[::1]:80");
    assertThat(hp.ip()).isNotNull();
  }

  @Test
  void keepsHostNameAsGivenWithoutIp() {
    HostPort hp = HostPort.parse("web1.internal:8080");
    assertThat(hp.host()).isEqualTo("web1.internal");
    assertThat(hp.ip()).isNull();
  }

  @Test
  void acceptsPortEdges() {
    assertThat(HostPort.parse("127.0.0.1:0").port()).isZero();
    assertThat(HostPort.parse("127.0.0.1:65535").port()).isEqualTo(65535);
  }

  @Test
  void refusesMalformed() {
    for (String s : new String[] {"127.0.0.1", ":80", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:+80", "127.0.0.1:-1",
        "::1:80", "[::1]", "[::1]80", "[]:80", "[zz]:80", "[1.2.3.4]:80", "a b:80", "999.1.1.1:80", "1.2.3:80",
        "host_name:80"}) {
      assertThatThrownBy(() -> HostPort.parse(s)).as(s).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void overlapsOnSamePortAndAddress() {
    assertThat(HostPort.parse("10.0.0.1:80").overlaps(HostPort.parse("10.0.0.1:80"))).isTrue();
    assertThat(HostPort.parse("10.0.0.1:80").overlaps(HostPort.parse("10.0.0.1:81"))).isFalse();
    assertThat(HostPort.parse("10.0.0.1:80").overlaps(HostPort.parse("10.0.0.2:80"))).isFalse();
  }

  @Test
  void wildcardsOverlapTheirFamily() {
    assertThat(HostPort.parse("0.0.0.0:80").overlaps(HostPort.parse("10.0.0.1:80"))).isTrue();
    assertThat(HostPort.parse("0.0.0.0:80").overlaps(HostPort.parse("[::1]:80"))).isFalse();
    assertThat(HostPort.parse("[::]:80").overlaps(HostPort.parse("10.0.0.1:80"))).isTrue();
  }

  @Test
  void portZeroNeverOverlaps() {
    assertThat(HostPort.parse("127.0.0.1:0").overlaps(HostPort.parse("127.0.0.1:0"))).isFalse();
  }
}
