package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {
  @TempDir
  Path dir;

  static final String BASE = "node: {name: lb1}\nlisten: [{address: \"127.0.0.1:8080\"}]\n"
      + "backends: [{id: web1, url: \"http://127.0.0.1:9001\"}]\n";

  TandemConfig parse(String yaml) throws ConfigException {
    return new ConfigLoader().parse(yaml, "test.yaml", dir);
  }

  java.util.List<String> errors(String yaml) {
    try {
      parse(yaml);
      return java.util.List.of();
    } catch (ConfigException e) {
      return e.errors();
    }
  }

  @Test
  void noClusterSectionMeansASingleNode() throws Exception {
    TandemConfig c = parse(BASE);
    assertThat(c.cluster()).isEmpty();
    assertThat(c.vip()).isEmpty();
  }

  @Test
  void readsTheClusterAndVipWithDefaults() throws Exception {
    Files.writeString(dir.resolve("k.p12"), "x");
    TandemConfig c = parse(BASE + "cluster: {bind: 127.0.0.1:7800, peers: [127.0.0.1:7800, 127.0.0.1:7801], key-file: k.p12}\n"
        + "vip: {address: 127.0.0.10:8080}\n");
    ClusterConfig cl = c.cluster().orElseThrow();
    assertThat(cl.name()).isEqualTo("tandem");
    assertThat(cl.preempt()).isFalse();
    assertThat(cl.heartbeatInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(cl.heartbeatTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(cl.keyFile()).isEqualTo(dir.resolve("k.p12"));
    assertThat(c.vip().orElseThrow().driver()).isEqualTo(VipDriver.BIND);
  }

  @Test
  void refusesAHeartbeatTimeoutUnderTwoIntervals() throws Exception {
    Files.writeString(dir.resolve("k.p12"), "x");
    assertThat(errors(BASE + "cluster: {bind: 127.0.0.1:7800, peers: [127.0.0.1:7800], key-file: k.p12,"
        + " heartbeat: {interval: 100ms, timeout: 150ms}}\n"))
        .containsExactly("cluster.heartbeat.timeout: 150ms (expected: >= 2 x cluster.heartbeat.interval (100ms))");
  }

  @Test
  void refusesAMissingKeyFileAndAHostNamePeer() {
    assertThat(errors(BASE + "cluster: {bind: 127.0.0.1:7800, peers: [lb2.example:7800], key-file: nope.p12}\n"))
        .containsExactlyInAnyOrder(
            "cluster.peers[0]: \"lb2.example:7800\" (expected: an IP literal and a port, such as 198.18.0.12:7800)",
            "cluster.key-file: \"" + dir.resolve("nope.p12") + "\" (expected: a readable key file made by `tandem keygen`)");
  }

  @Test
  void refusesAVipThatIsAListenerAddressAndAnUnknownDriver() {
    assertThat(errors(BASE + "vip: {driver: carrier-pigeon, address: 127.0.0.1:8080}\n"))
        .containsExactlyInAnyOrder(
            "vip.driver: \"carrier-pigeon\" (expected: bind | iproute2 | script)",
            "vip.address: \"127.0.0.1:8080\" (expected: an address no listener uses (127.0.0.1:8080))");
  }

  @Test
  void refusesUnknownClusterKeys() throws Exception {
    Files.writeString(dir.resolve("k.p12"), "x");
    assertThat(errors(BASE + "cluster: {bind: 127.0.0.1:7800, peers: [127.0.0.1:7800], key-file: k.p12, prempt: true}\n"))
        .singleElement().asString().startsWith("cluster.prempt: unknown key");
  }

  @Test
  void requiresABindAddress() {
    assertThatThrownBy(() -> parse(BASE + "cluster: {peers: [127.0.0.1:7800]}\n"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.bind: missing");
  }
}
