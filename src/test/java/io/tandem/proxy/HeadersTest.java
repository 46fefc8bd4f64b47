package io.tandem.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class HeadersTest {
  @Test
  void dropsHopByHopHeadersInAnyLetterCase() {
    MultiMap in = MultiMap.caseInsensitiveMultiMap()
        .add("Connection", "keep-alive").add("KEEP-ALIVE", "timeout=5").add("TE", "trailers")
        .add("Trailer", "x").add("Transfer-Encoding", "chunked").add("Upgrade", "h2c")
        .add("Proxy-Connection", "x").add("Proxy-Authenticate", "x").add("proxy-authorization", "x")
        .add("User-Agent", "curl").add("Content-Type", "text/plain").add("Tea", "green");
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    Headers.copyEndToEnd(in, out);
    assertThat(out.names()).containsExactlyInAnyOrder("User-Agent", "Content-Type", "Tea");
  }

  @Test
  void dropsTheHeadersTheConnectionHeaderNames() {
    MultiMap in = MultiMap.caseInsensitiveMultiMap()
        .add("Connection", "keep-alive, X-Hop , close").add("connection", "x-other")
        .add("x-hop", "1").add("X-Other", "2").add("Close", "3").add("X-Kept", "4");
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    Headers.copyEndToEnd(in, out);
    assertThat(out.names()).containsExactly("X-Kept");
  }

  @Test
  void seesAnUpgradeOnlyWhenConnectionNamesIt() {
    assertThat(Headers.isUpgrade(MultiMap.caseInsensitiveMultiMap()
        .add("Upgrade", "websocket").add("Connection", "keep-alive, Upgrade"))).isTrue();
    assertThat(Headers.isUpgrade(MultiMap.caseInsensitiveMultiMap()
        .add("Upgrade", "websocket").add("Connection", "keep-alive"))).isFalse();
    assertThat(Headers.isUpgrade(MultiMap.caseInsensitiveMultiMap().add("Connection", "upgrade"))).isFalse();
  }
}
