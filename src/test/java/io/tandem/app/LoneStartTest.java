package io.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.cluster.ClusterKey;
import io.tandem.cluster.NodeState;
import io.tandem.testing.TestPair;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that joins alone while a live node serves the VIP (here the peer holds another key, so it
 * never lets it join; in production a busy peer that answered discovery too late does the same
 * until the merge) must not claim the sticky table it never received.
 */
class LoneStartTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir
  Path dir;
  @AutoClose
  TestPair pair;

  /** lb1 MASTER, then lb2 with another key (never let in), waiting for the holder's table. */
  void startLoneBesideHolder() throws Exception {
    pair = new TestPair(dir, 2, false);
    pair.start(0);
    await().atMost(WAIT).until(() -> pair.master() == 0);
    Path otherKey = dir.resolve("other.p12");
    ClusterKey.generate(otherKey);
    pair.start(1, otherKey);
    await().atMost(WAIT).until(() -> pair.node(1).cluster().awaitingTable());
  }

  @Test
  void aNodeAloneBesideALiveHolderIsNotInSyncUntilTheHolderStopsServing() throws Exception {
    startLoneBesideHolder();

    // Alone in its view, the VIP served by lb1: not in sync, so no drill or operator takes it for
    // a standby that holds the table, and it never becomes MASTER beside lb1.
    await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> !pair.node(1).cluster().inSync()
        && pair.node(1).cluster().status().state() != NodeState.MASTER && pair.master() == 0);

    // The holder goes: nothing is left to wait for, and the cluster needs a MASTER.
    pair.crash(0);
    await().atMost(WAIT).until(() -> pair.node(1).cluster().inSync() && pair.master() == 1);
    assertThat(pair.holders()).isEqualTo(1);
  }

  @Test
  void aHolderThatPausesAndTakesTheVipBackKeepsTheLoneNodeWaiting() throws Exception {
    // Seen in the drills on a saturated host: the MASTER's timers ran late, it gave the VIP up and
    // took it back; the lone node's probe fell in between, it started with an empty table and took
    // the VIP too, at the same epoch, until the merge.
    startLoneBesideHolder();

    // Frozen for more than a heartbeat timeout (500 ms): the lone node's probes find the VIP held
    // but silent, then free while lb1 steps down and takes it back.
    pair.freeze(0, true);
    Thread.sleep(800); // the pause itself, not a wait for something
    pair.thaw(0);
    await().atMost(WAIT).until(() -> pair.node(0).cluster().history().stream()
        .anyMatch(c -> c.reason().startsWith("paused")));

    await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> !pair.node(1).cluster().inSync()
        && pair.node(1).cluster().status().state() != NodeState.MASTER && pair.holders() <= 1);
    await().atMost(WAIT).until(() -> pair.master() == 0);
  }

  @Test
  void aFirstNodeAloneWithNoHolderIsInSyncAtOnce() throws Exception {
    pair = new TestPair(dir, 2, false);
    pair.start(0);
    assertThat(pair.node(0).cluster().inSync()).isTrue();
    await().atMost(WAIT).until(() -> pair.master() == 0);
  }
}
