package io.tandem.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import org.junit.jupiter.api.Test;

class FailuresTest {
  @Test
  void aRefusedOrUnreachableConnectProvesTheBackendGone() {
    assertThat(Failures.backendGone(new ConnectException("Connection refused: /127.0.0.1:9"))).isTrue();
    assertThat(Failures.backendGone(new NoRouteToHostException("No route to host"))).isTrue();
    assertThat(Failures.backendGone(new VertxException(new ConnectException("Connection refused"), true))).isTrue();
  }

  @Test
  void aTimeoutOrABrokenConnectionDoesNot() {
    assertThat(Failures.backendGone(new ConnectTimeoutException("connection timed out after 500 ms"))).isFalse();
    assertThat(Failures.backendGone(new IOException("Connection reset by peer"))).isFalse();
    assertThat(Failures.backendGone(new VertxException("Connection was closed", true))).isFalse();
    assertThat(Failures.backendGone(null)).isFalse();
  }
}
