package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.config.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackFileTest {
  private final ClusterOptions options = new ClusterOptions("lb1", HostPort.parse("10.0.0.1:7800"),
      List.of(HostPort.parse("10.0.0.2:7800")), Path.of("/etc/tandem/a&b.key"),
      Duration.ofMillis(200), Duration.ofSeconds(1));

  @Test
  void fillsEveryPlaceholderOfTheBuiltInStack() throws Exception {
    String xml = StackFile.render(options);
    assertThat(xml).doesNotContainPattern("\\$\\{tandem\\.[a-z_]+}").doesNotContain("=\"${");
    assertThat(xml).contains("<TCP bind_addr=\"10.0.0.1\"", "bind_port=\"7800\"",
        "initial_hosts=\"10.0.0.1[7800],10.0.0.2[7800]\"", "<FD_SOCK2 bind_addr=\"10.0.0.1\"",
        "interval=\"200\"", "timeout=\"1000\"", "keystore_name=\"/etc/tandem/a&amp;b.key\"",
        "sym_algorithm=\"AES/CBC/PKCS5Padding\"", "diag.enabled=\"false\"");
  }

  @Test
  void verifySuspectWaitsOneHeartbeatButNeverUnder100ms() {
    assertThat(StackFile.values(options)).containsEntry("verify_timeout", "200");
    var fast = new ClusterOptions("lb1", HostPort.parse("10.0.0.1:7800"), List.of(), Path.of("k"),
        Duration.ofMillis(20), Duration.ofMillis(100));
    assertThat(StackFile.values(fast)).containsEntry("verify_timeout", "100");
  }

  @Test
  void refusesAnUnknownPlaceholder() {
    assertThatThrownBy(() -> StackFile.substitute("<TCP bind_port=\"${tandem.bind_prot}\"/>", Map.of("bind_port", "1")))
        .hasMessageStartingWith("JGroups stack: unknown placeholder ${tandem.bind_prot}");
  }

  @Test
  void leavesJGroupsOwnSyntaxAlone() {
    assertThat(StackFile.substitute("a=\"${other:x}\"", Map.of())).isEqualTo("a=\"${other:x}\"");
  }
}
