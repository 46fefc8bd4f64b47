package io.tandem.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.config.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash path warm-up: a private pair on loopback, one member crashed, the other drops it. */
class CrashPathWarmUpTest {
  @TempDir Path dir;

  @Test
  void thePairFormsTheSurvivorSuspectsTheCrashedMemberAndNothingIsLeftRunning() throws Exception {
    Path key = dir.resolve("cluster.key");
    ClusterKey.generate(key);
    ClusterOptions node = new ClusterOptions("lb1", new HostPort("198.18.0.11", 7800),
        List.of(new HostPort("198.18.0.12", 7800)), key, Duration.ofMillis(100), Duration.ofMillis(500));

    CrashPathWarmUp.Result r = CrashPathWarmUp.run(node, Duration.ofSeconds(20));

    // The suspicion comes from the closed socket (FD_SOCK2), not from the heartbeat timeout.
    assertThat(r.suspectMillis()).isLessThan(node.heartbeatTimeout().toMillis());
    assertThat(r.viewMillis()).isGreaterThanOrEqualTo(r.suspectMillis());
    // JGroups names its threads after the cluster and the member; a closed pool's threads end soon after.
    await().atMost(5, SECONDS).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
        .map(Thread::getName).filteredOn(t -> t.contains(CrashPathWarmUp.SUFFIX))
        .as("threads of the private pair after it closed").isEmpty());
  }

  @Test
  void eachMemberIsOnLoopbackWithOnlyThePairAsPeerUnderAClusterNameOfItsOwn() throws Exception {
    ClusterOptions node = new ClusterOptions("lb1", new HostPort("198.18.0.11", 7800),
        List.of(new HostPort("198.18.0.12", 7800), new HostPort("198.18.0.41", 7800)), dir.resolve("k"),
        Duration.ofMillis(50), Duration.ofMillis(250));
    List<HostPort> pair = LoopbackPorts.free(2);

    for (int i = 0; i < 2; i++) {
      ClusterOptions m = CrashPathWarmUp.member(node, pair, i);
      assertThat(m.bind()).isEqualTo(pair.get(i));
      assertThat(m.bind().ip().isLoopbackAddress()).isTrue();
      assertThat(m.peers()).isEqualTo(i == 0 ? List.of() : List.of(pair.get(0)));
      assertThat(m.clusterName()).isEqualTo("tandem-warm-up").isNotEqualTo(node.clusterName());
      assertThat(m.nodeName()).isEqualTo(i == 0 ? "lb1-warm-up-a" : "lb1-warm-up-b");
      assertThat(m.keyFile()).isEqualTo(node.keyFile());
      assertThat(m.heartbeatTimeout()).isEqualTo(node.heartbeatTimeout());
    }
  }

  @Test
  void loopbackPortsNeverOverlapWithEachOthersFailureDetectorPorts() throws Exception {
    List<HostPort> ports = LoopbackPorts.free(6);
    assertThat(ports).hasSize(6);
    Set<Integer> all = new HashSet<>();
    for (HostPort p : ports) {
      assertThat(all.add(p.port())).isTrue();
      assertThat(all.add(p.port() + ClusterOptions.FD_SOCK_OFFSET)).isTrue();
    }
  }
}
