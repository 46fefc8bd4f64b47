package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.config.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterOptionsTest {
  private static ClusterOptions with(String bind, String peer, long intervalMs, long timeoutMs) {
    return new ClusterOptions("lb1", HostPort.parse(bind), List.of(HostPort.parse(peer)), Path.of("k"),
        Duration.ofMillis(intervalMs), Duration.ofMillis(timeoutMs));
  }

  @Test
  void defaultsTheClusterName() {
    assertThat(with("10.0.0.1:7800", "10.0.0.2:7800", 100, 500).clusterName()).isEqualTo("tandem");
  }

  @Test
  void refusesTheWildcardAddress() {
    assertThatThrownBy(() -> with("0.0.0.0:7800", "10.0.0.2:7800", 100, 500)).hasMessageStartingWith("bind: 0.0.0.0:7800");
  }

  @Test
  void refusesAHostNamePeer() {
    assertThatThrownBy(() -> with("10.0.0.1:7800", "lb2.example:7800", 100, 500)).hasMessageStartingWith("peers[0]: lb2.example:7800");
  }

  @Test
  void refusesAPortWhoseFdSockPortWouldOverflow() {
    assertThatThrownBy(() -> with("10.0.0.1:65500", "10.0.0.2:7800", 100, 500)).hasMessageContaining("expected: port 1-65435");
  }

  @Test
  void refusesATimeoutNotAboveTheInterval() {
    assertThatThrownBy(() -> with("10.0.0.1:7800", "10.0.0.2:7800", 500, 500)).hasMessageStartingWith("heartbeatTimeout: PT0.5S");
  }
}
