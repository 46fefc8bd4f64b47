package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VipConfigTest {
  @TempDir
  Path dir;

  static final String BASE = "node: {name: lb1}\nlisten: [{address: \"0.0.0.0:8080\"}]\n"
      + "backends: [{id: web1, url: \"http://127.0.0.1:9001\"}]\n";

  TandemConfig parse(String yaml) throws ConfigException {
    return new ConfigLoader().parse(yaml, "test.yaml", dir);
  }

  List<String> errors(String yaml) {
    try {
      parse(yaml);
      return List.of();
    } catch (ConfigException e) {
      return e.errors();
    }
  }

  @Test
  void readsTheIproute2DriverWithDefaults() throws Exception {
    VipConfig v = parse(BASE + "vip: {driver: iproute2, address: 198.18.0.100/24, interface: eth0}\n").vip().orElseThrow();
    assertThat(v.driver()).isEqualTo(VipDriver.IPROUTE2);
    assertThat(v.cidr()).isEqualTo("198.18.0.100/24");
    assertThat(v.address()).isEqualTo(new HostPort("198.18.0.100", 8080));
    assertThat(v.iface()).isEqualTo("eth0");
    assertThat(v.lease()).isEqualTo(Duration.ofSeconds(2));
    assertThat(v.garp()).isEqualTo(new VipConfig.Garp(5, Duration.ofMillis(200), Duration.ofSeconds(60)));
    assertThat(v.commandTimeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void readsEveryIproute2Key() throws Exception {
    VipConfig v = parse(BASE + "vip: {driver: iproute2, address: 198.18.0.100/25, interface: ens3, port: 8080,"
        + " lease: 3s, garp: {count: 3, interval: 100ms, refresh: 30s}, command-timeout: 1s}\n").vip().orElseThrow();
    assertThat(v.prefixLength()).isEqualTo(25);
    assertThat(v.lease()).isEqualTo(Duration.ofSeconds(3));
    assertThat(v.garp()).isEqualTo(new VipConfig.Garp(3, Duration.ofMillis(100), Duration.ofSeconds(30)));
    assertThat(v.commandTimeout()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void namesEachIproute2Mistake() {
    assertThat(errors(BASE + "vip: {driver: iproute2, address: 198.18.0.100, lease: 1500ms,"
        + " garp: {count: 0, colour: red}, port: 9000}\n")).containsExactlyInAnyOrder(
        "vip.address: \"198.18.0.100\" (expected: an IP literal with its prefix length, such as 198.18.0.100/24)",
        "vip.port: 9000 (expected: the port of a listener on 0.0.0.0 or [::] (the VIP arrives on the interface, "
            + "so the proxy must listen on the wildcard address))",
        "vip.interface: missing (expected: a network interface name, such as eth0)",
        "vip.lease: 1500ms (expected: whole seconds (the kernel's address lifetime))",
        "vip.garp.count: 0 (expected: 1-100)",
        "vip.garp.colour: unknown key (expected: one of count, interval, refresh)");
  }

  @Test
  void refusesAnInterfaceNameThatIsNoName() {
    assertThat(errors(BASE + "vip: {driver: iproute2, address: 198.18.0.100/24, interface: \"eth0; reboot\"}\n"))
        .containsExactly("vip.interface: \"eth0; reboot\" (expected: a network interface name, such as eth0)");
  }

  @Test
  void theVipMustArriveOnAWildcardListener() {
    String local = "node: {name: lb1}\nlisten: [{address: \"127.0.0.1:8080\"}]\n"
        + "backends: [{id: web1, url: \"http://127.0.0.1:9001\"}]\n";
    assertThat(errors(local + "vip: {driver: iproute2, address: 198.18.0.100/24, interface: eth0}\n"))
        .containsExactly("vip.port: 8080 (expected: the port of a listener on 0.0.0.0 or [::] (the VIP arrives "
            + "on the interface, so the proxy must listen on the wildcard address))");
  }

  @Test
  void readsTheScriptDriver() throws Exception {
    Path master = script("master.sh");
    Path backup = script("backup.sh");
    VipConfig v = parse(BASE + "vip: {driver: script, address: 198.18.0.100/32,"
        + " scripts: {master: master.sh, backup: " + backup + "}}\n").vip().orElseThrow();
    assertThat(v.scripts().master()).contains(master);
    assertThat(v.scripts().backup()).contains(backup);
    assertThat(v.scripts().fault()).isEmpty();
    assertThat(v.commandTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void scriptsMustBeThereAndExecutable() throws Exception {
    Files.writeString(dir.resolve("plain.sh"), "#!/bin/sh\n");
    assertThat(errors(BASE + "vip: {driver: script, address: 198.18.0.100/32, scripts: {backup: plain.sh,"
        + " stop: nowhere.sh}}\n")).containsExactlyInAnyOrder(
        "vip.scripts.master: missing (expected: an executable file)",
        "vip.scripts.backup: \"" + dir.resolve("plain.sh") + "\" (expected: an executable file)",
        "vip.scripts.stop: \"" + dir.resolve("nowhere.sh") + "\" (expected: an executable file)");
  }

  @Test
  void theBindDriverIsUnchanged() throws Exception {
    String local = "node: {name: lb1}\nlisten: [{address: \"127.0.0.1:8080\"}]\n"
        + "backends: [{id: web1, url: \"http://127.0.0.1:9001\"}]\n";
    VipConfig v = parse(local + "vip: {address: 127.0.0.10:8080}\n").vip().orElseThrow();
    assertThat(v.driver()).isEqualTo(VipDriver.BIND);
    assertThat(v.address()).isEqualTo(new HostPort("127.0.0.10", 8080));
    assertThat(errors(local + "vip: {address: 127.0.0.10:8080, interface: eth0}\n"))
        .containsExactly("vip.interface: unknown key (expected: one of driver, address)");
  }

  private Path script(String name) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }
}
