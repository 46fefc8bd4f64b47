package io.tandem.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.config.HostPort;
import io.tandem.config.VipConfig;
import io.tandem.config.VipDriver;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The script driver runs the operator's real scripts: each hears its event, the VIP and the epoch. */
class ScriptFloatingIpTest {
  @TempDir
  Path dir;

  static <T> T done(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  Path script(String name, String body) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  ScriptFloatingIp driver(Path master, Path backup, Duration timeout) throws Exception {
    Path log = dir.resolve("events");
    String record = "echo \"$@\" >> " + log;
    VipConfig cfg = new VipConfig(VipDriver.SCRIPT, new HostPort("198.18.0.100", 80), 24, "", Duration.ZERO,
        VipConfig.Garp.DEFAULT, new VipConfig.Scripts(Optional.of(master), Optional.of(backup),
        Optional.of(script("fault.sh", record)), Optional.of(script("stop.sh", record))), timeout);
    return new ScriptFloatingIp("lb1", cfg, new ProcessCommandRunner("test-script", true, List.of()));
  }

  @Test
  void eachEventRunsItsScriptWithTheVipAndTheEpoch() throws Exception {
    String record = "echo \"$@\" >> " + dir.resolve("events");
    ScriptFloatingIp d = driver(script("master.sh", record), script("backup.sh", record), Duration.ofSeconds(5));
    done(d.acquire(7));
    assertThat(d.held()).isTrue();
    done(d.release(7));
    assertThat(d.held()).isFalse();
    d.fault(7, "no usable backend");
    done(d.close());
    assertThat(Files.readAllLines(dir.resolve("events"))).containsExactly(
        "master 198.18.0.100/24 7", "backup 198.18.0.100/24 7", "fault 198.18.0.100/24 7", "stop 198.18.0.100/24 0");
  }

  @Test
  void aFailingMasterScriptFailsTheTakeoverWithItsOutput() throws Exception {
    ScriptFloatingIp d = driver(script("master.sh", "echo 'quota exceeded' >&2; exit 3"), script("backup.sh", ""),
        Duration.ofSeconds(5));
    assertThatThrownBy(() -> done(d.acquire(2)))
        .hasMessage("vip.scripts.master: " + dir.resolve("master.sh") + " master 198.18.0.100/24 2: exit 3: quota exceeded");
    assertThat(d.held()).isFalse();
  }

  @Test
  void aScriptThatHangsIsKilledAtItsTimeout() throws Exception {
    ScriptFloatingIp d = driver(script("master.sh", "sleep 30"), script("backup.sh", ""), Duration.ofMillis(300));
    assertThatThrownBy(() -> done(d.acquire(2))).hasMessageEndingWith("timed out (killed)");
  }

  @Test
  void theArpProbeIsReadForTheLog() {
    assertThat(ArpProbeGuard.arpText(new CommandRunner.Result(List.of("arping"), 1,
        "ARPING 198.18.0.100 from 0.0.0.0 eth0; Unicast reply from 198.18.0.100 [F2:70:DC:0D:29:4D]  0.550ms", false)))
        .isEqualTo("ARP: the VIP is answered by F2:70:DC:0D:29:4D");
    assertThat(ArpProbeGuard.arpText(new CommandRunner.Result(List.of("arping"), -1, "", true)))
        .isEqualTo("ARP: no host answers for the VIP");
    assertThat(ArpProbeGuard.arpText(null)).isEqualTo("ARP probe failed");
  }
}
