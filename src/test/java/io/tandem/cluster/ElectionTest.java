package io.tandem.cluster;

import static io.tandem.cluster.ClusterSim.HEARTBEAT;
import static io.tandem.cluster.ClusterSim.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.cluster.Decision.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Election scenarios on two and three simulated nodes; the simulation checks the invariants. */
class ElectionTest {

  private static List<Action> actions(ClusterSim sim, String name) {
    return sim.get(name).decisions.stream().map(Decision::action).toList();
  }

  private static Decision last(ClusterSim sim, String name) {
    List<Decision> ds = sim.get(name).decisions;
    return ds.get(ds.size() - 1);
  }

  @Test
  void electsHighestPriorityAtStart() {
    ClusterSim sim = new ClusterSim(false).node("a", 100).node("b", 200).node("c", 150);
    sim.start("a", "b", "c");

    assertThat(sim.master()).isEqualTo("b");
    assertThat(sim.election("b").epoch()).isEqualTo(1);
    assertThat(sim.election("a").state()).isEqualTo(NodeState.BACKUP);
    assertThat(sim.election("c").state()).isEqualTo(NodeState.BACKUP);
    assertThat(actions(sim, "a")).isEmpty();
  }

  @Test
  void breaksPriorityTiesByLowerName() {
    ClusterSim sim = new ClusterSim(false).node("b", 100).node("a", 100);
    sim.start("b", "a");

    assertThat(sim.master()).isEqualTo("a");
  }

  @Test
  void aloneInSyncNodeBecomesMaster() {
    ClusterSim sim = new ClusterSim(false).node("a", 100);
    sim.start("a");

    assertThat(sim.master()).isEqualTo("a");
    assertThat(last(sim, "a")).isEqualTo(Decision.becomeMaster(1, "elected with priority 100"));
  }

  @Test
  void keepsCurrentMasterWhenHigherPriorityJoinsWithoutPreempt() {
    ClusterSim sim = new ClusterSim(false).node("a", 100).node("b", 200);
    sim.start("a");
    sim.start("b");
    sim.advance(Duration.ofSeconds(5));

    assertThat(sim.master()).isEqualTo("a");
    assertThat(sim.election("b").state()).isEqualTo(NodeState.BACKUP);
    assertThat(actions(sim, "b")).isEmpty();
  }

  @Test
  void preemptHandsOverToHigherPriorityOnce() {
    ClusterSim sim = new ClusterSim(true).node("a", 100).node("b", 200);
    sim.start("a");
    sim.start("b");
    sim.advance(Duration.ofSeconds(5));

    // The simulation fails the test if b took the VIP while a still held it.
    assertThat(sim.master()).isEqualTo("b");
    assertThat(actions(sim, "a")).containsExactly(Action.BECOME_MASTER, Action.STEP_DOWN);
    assertThat(last(sim, "a").reason()).contains("b is preferred");
    assertThat(sim.get("b").decisions)
        .containsExactly(Decision.becomeMaster(2, "elected with priority 200"));
  }

  @Test
  void preemptDoesNotHandOverForEqualPriority() {
    ClusterSim sim = new ClusterSim(true).node("b", 100).node("a", 100);
    sim.start("b");
    sim.start("a");

    assertThat(sim.master()).isEqualTo("b");
  }

  @Test
  void backupTakesOverAtOnceWhenMasterCrashes() {
    ClusterSim sim = new ClusterSim(false).node("a", 200).node("b", 100);
    sim.start("a", "b");
    long crashedAt = sim.now();

    sim.crash("a", true);

    assertThat(sim.now()).isEqualTo(crashedAt);
    assertThat(sim.master()).isEqualTo("b");
    assertThat(sim.election("b").epoch()).isEqualTo(2);
  }

  @Test
  void crashWithoutSuspicionWaitsForTimeout() {
    ClusterSim sim = new ClusterSim(false).node("a", 200).node("b", 100);
    sim.start("a", "b");
    sim.crash("a", false);

    sim.advance(TIMEOUT);
    assertThat(sim.master()).isNull();
    sim.advance(HEARTBEAT);
    assertThat(sim.master()).isEqualTo("b");
  }

  @Test
  void backupTakesOverFromHungMasterOnlyAfterTimeout() {
    ClusterSim sim = new ClusterSim(false).node("a", 200).node("b", 100);
    sim.start("a", "b");
    sim.hang("a");

    sim.advance(TIMEOUT);
    assertThat(sim.election("b").state()).isEqualTo(NodeState.BACKUP);
    sim.advance(HEARTBEAT);
    assertThat(sim.election("b").state()).isEqualTo(NodeState.MASTER);
    assertThat(sim.election("b").epoch()).isEqualTo(2);
  }

  @Test
  void wokenMasterStepsDownAndDoesNotTakeTheVipBack() {
    ClusterSim sim = new ClusterSim(false).node("a", 200).node("b", 100);
    sim.start("a", "b");
    sim.hang("a");
    sim.advance(Duration.ofSeconds(2));
    assertThat(sim.get("a").vip).as("frozen, a still has the VIP").isTrue();

    sim.wake("a");

    assertThat(last(sim, "a").action()).isEqualTo(Action.STEP_DOWN);
    assertThat(last(sim, "a").reason()).startsWith("paused");
    assertThat(sim.master()).isEqualTo("b");
    assertThat(sim.election("b").mustReannounce()).as("b re-announces once a let go").isTrue();
    sim.advance(Duration.ofSeconds(5));
    assertThat(sim.master()).isEqualTo("b");
    assertThat(actions(sim, "a")).containsExactly(Action.BECOME_MASTER, Action.STEP_DOWN);
  }

  @Test
  void pausedLoneMasterStepsDownThenIsElectedAgain() {
    ClusterSim sim = new ClusterSim(false).node("a", 100);
    sim.start("a");
    sim.hang("a");
    sim.advance(Duration.ofSeconds(2));

    sim.wake("a");

    assertThat(actions(sim, "a"))
        .containsExactly(Action.BECOME_MASTER, Action.STEP_DOWN, Action.BECOME_MASTER);
    assertThat(sim.election("a").epoch()).isEqualTo(2);
  }

  @Test
  void unhealthyMasterStepsDownToHealthyPeer() {
    ClusterSim sim = new ClusterSim(false).node("a", 200).node("b", 100);
    sim.start("a", "b");

    sim.health("a", false, "no usable backend");

    assertThat(sim.master()).isEqualTo("b");
    assertThat(sim.election("a").state()).isEqualTo(NodeState.FAULT);
    assertThat(last(sim, "a").reason()).isEqualTo("no usable backend");

    sim.health("a", true, "");
    assertThat(sim.election("a").state()).isEqualTo(NodeState.BACKUP);
    assertThat(sim.master()).as("no flapping back").isEqualTo("b");
  }

  @Test
  void unhealthyMasterKeepsTheVipWithoutHealthyPeer() {
    ClusterSim sim = new ClusterSim(false).node("a", 200).node("b", 100);
    sim.start("a", "b");
    sim.health("b", false, "no usable backend");

    sim.health("a", false, "no usable backend");
    sim.advance(Duration.ofSeconds(3));

    assertThat(sim.master()).isEqualTo("a");
    assertThat(sim.election("a").reason()).startsWith("keeping the VIP");
    assertThat(sim.election("b").state()).isEqualTo(NodeState.FAULT);

    sim.health("b", true, "");
    assertThat(sim.master()).isEqualTo("b");
  }

  @Test
  void unsyncedNodeIsNotElected() {
    ClusterSim sim = new ClusterSim(true).node("a", 100).node("c", 250);
    sim.startUnsynced("c");
    sim.advance(Duration.ofSeconds(3));
    assertThat(sim.master()).isNull();
    assertThat(sim.election("c").state()).isEqualTo(NodeState.INIT);

    sim.start("a");
    assertThat(sim.master()).isEqualTo("a");

    sim.sync("c");
    assertThat(sim.master()).as("preempt, once in sync").isEqualTo("c");
  }

  @Test
  void failedVipAcquireFaultsAndLetsPeerTakeOver() {
    ClusterSim sim = new ClusterSim(false).node("a", 200).node("b", 100);
    sim.failNextAcquire("a");
    sim.start("a", "b");

    assertThat(sim.master()).isEqualTo("b");
    assertThat(actions(sim, "a")).containsExactly(Action.BECOME_MASTER, Action.STEP_DOWN);
    assertThat(last(sim, "a").reason()).contains("simulated driver error");
    assertThat(sim.election("a").state()).isEqualTo(NodeState.FAULT);

    sim.health("a", true, "");
    assertThat(sim.election("a").state()).isEqualTo(NodeState.BACKUP);
    assertThat(sim.master()).isEqualTo("b");
  }

  @Test
  void loneNodeRetriesVipAfterReportedHealthy() {
    ClusterSim sim = new ClusterSim(false).node("a", 100);
    sim.failNextAcquire("a");
    sim.start("a");
    assertThat(sim.master()).isNull();
    assertThat(sim.election("a").state()).isEqualTo(NodeState.FAULT);

    sim.health("a", true, "");

    assertThat(sim.master()).isEqualTo("a");
    assertThat(sim.election("a").epoch()).isEqualTo(2);
  }

  @Test
  void partitionElectsOnBothSidesAndHealKeepsHigherEpoch() {
    ClusterSim sim = new ClusterSim(false).node("a", 200).node("b", 100);
    sim.start("a", "b");

    sim.partition(List.of(Set.of("a"), Set.of("b")));
    // Allowed only because they cannot see each other; the takeover guard keeps both from holding.
    assertThat(sim.masters()).containsExactlyInAnyOrder("a", "b");
    assertThat(sim.election("b").epoch()).isEqualTo(2);

    sim.heal();

    assertThat(sim.master()).isEqualTo("b");
    assertThat(last(sim, "a").reason()).startsWith("two masters: b has epoch 2");
    assertThat(sim.election("b").mustReannounce()).isTrue();
    sim.election("b").reannounced();
    assertThat(sim.election("b").mustReannounce()).isFalse();
  }

  @Test
  void mergeWithEqualEpochsKeepsHigherPriorityThenLowerName() {
    ClusterSim byPriority = new ClusterSim(false).node("a", 100).node("b", 200);
    byPriority.partition(List.of(Set.of("a"), Set.of("b")));
    byPriority.start("a", "b");
    assertThat(byPriority.masters()).containsExactlyInAnyOrder("a", "b");
    byPriority.heal();
    assertThat(byPriority.master()).isEqualTo("b");

    ClusterSim byName = new ClusterSim(false).node("a", 100).node("b", 100);
    byName.partition(List.of(Set.of("a"), Set.of("b")));
    byName.start("a", "b");
    byName.heal();
    assertThat(byName.master()).isEqualTo("a");
    assertThat(byName.election("a").mustReannounce()).isTrue();
  }

  @Test
  void epochsStrictlyIncreaseAcrossFailovers() {
    ClusterSim sim = new ClusterSim(false).node("a", 200).node("b", 150).node("c", 100);
    sim.start("a", "b", "c");
    List<Long> epochs = new ArrayList<>();
    epochs.add(sim.election(sim.master()).epoch());
    for (int i = 0; i < 6; i++) {
      String m = sim.master();
      sim.crash(m, i % 2 == 0);
      sim.advance(Duration.ofSeconds(2));
      sim.evictCrashed();
      epochs.add(sim.election(sim.master()).epoch());
      sim.start(m);
      sim.advance(Duration.ofSeconds(1));
    }
    assertThat(epochs).isSorted().doesNotHaveDuplicates().startsWith(1L, 2L);
  }

  @Test
  void threeNodesFailOverInPriorityOrder() {
    ClusterSim sim = new ClusterSim(false).node("a", 200).node("b", 150).node("c", 100);
    sim.start("a", "b", "c");
    assertThat(sim.master()).isEqualTo("a");

    sim.crash("a", true);
    assertThat(sim.master()).isEqualTo("b");

    sim.hang("b");
    sim.advance(TIMEOUT.plus(HEARTBEAT));
    assertThat(sim.master()).isEqualTo("c");

    sim.start("a");
    sim.wake("b");
    sim.advance(Duration.ofSeconds(3));
    assertThat(sim.master()).isEqualTo("c");
    assertThat(sim.election("c").epoch()).isEqualTo(3);
    sim.assertConverged();
  }

  @Test
  void threeNodesMinorityAndMajorityMergeToOneMaster() {
    ClusterSim sim = new ClusterSim(false).node("a", 200).node("b", 150).node("c", 100);
    sim.start("a", "b", "c");

    sim.partition(List.of(Set.of("a"), Set.of("b", "c")));
    assertThat(sim.masters()).containsExactlyInAnyOrder("a", "b");

    sim.heal();
    sim.advance(Duration.ofSeconds(3));
    assertThat(sim.master()).isEqualTo("b");
    sim.assertConverged();
  }

  @Test
  void threeNodesPreemptGoesToHighestInSyncPriority() {
    ClusterSim sim = new ClusterSim(true).node("a", 100).node("b", 150).node("c", 200);
    sim.start("a");
    sim.startUnsynced("c");
    sim.start("b");
    assertThat(sim.master()).isEqualTo("b");

    sim.sync("c");
    assertThat(sim.master()).isEqualTo("c");
    assertThat(sim.election("c").epoch()).isEqualTo(3);
  }
}
