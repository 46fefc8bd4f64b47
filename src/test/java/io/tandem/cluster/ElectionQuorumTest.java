package io.tandem.cluster;

import static io.tandem.cluster.ClusterSim.HEARTBEAT;
import static io.tandem.cluster.ClusterSim.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.cluster.Decision.Action;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The majority rule with a witness, on simulated nodes (the simulation checks the invariants). */
class ElectionQuorumTest {
  static final Duration WINDOW = Duration.ofMillis(600);

  private static ClusterSim pairWithWitness() {
    return new ClusterSim(false).node("a", 200).node("b", 100).witness("w");
  }

  private static Decision last(ClusterSim sim, String name) {
    List<Decision> ds = sim.get(name).decisions;
    return ds.get(ds.size() - 1);
  }

  @Test
  void pairWithWitnessElectsTheHighestPriority() {
    ClusterSim sim = pairWithWitness();
    sim.start("a", "b", "w");

    assertThat(sim.master()).isEqualTo("a");
    assertThat(sim.election("b").state()).isEqualTo(NodeState.BACKUP);
    sim.assertConverged();
  }

  @Test
  void loneBalancerIsNotElectedUntilTheWitnessJoins() {
    ClusterSim sim = pairWithWitness();
    sim.start("a");
    sim.advance(Duration.ofSeconds(3));

    assertThat(sim.masters()).isEmpty();
    assertThat(sim.get("a").decisions).isEmpty();
    assertThat(sim.election("a").reason()).isEqualTo("no majority: sees 1 of 3 voters");

    sim.start("w");
    sim.advance(HEARTBEAT);
    assertThat(sim.master()).isEqualTo("a");
  }

  @Test
  void masterCutOffFromBothStepsDownAndTheOtherSideTakesOver() {
    ClusterSim sim = pairWithWitness();
    sim.start("a", "b", "w");
    assertThat(sim.master()).isEqualTo("a");

    sim.partition(List.of(Set.of("a"), Set.of("b", "w")));

    assertThat(sim.masters()).containsExactly("b");
    assertThat(last(sim, "a").action()).isEqualTo(Action.STEP_DOWN);
    assertThat(last(sim, "a").reason()).isEqualTo("no majority: sees 1 of 3 voters");
    assertThat(sim.get("a").vip).isFalse();
    assertThat(sim.election("b").epoch()).isEqualTo(2);
  }

  @Test
  void afterTheHealTheMajoritySidesMasterStays() {
    ClusterSim sim = pairWithWitness();
    sim.start("a", "b", "w");
    sim.partition(List.of(Set.of("a"), Set.of("b", "w")));
    sim.advance(Duration.ofSeconds(2));
    assertThat(sim.get("a").decisions).extracting(Decision::action)
        .containsExactly(Action.BECOME_MASTER, Action.STEP_DOWN);

    sim.heal();
    sim.advance(Duration.ofSeconds(3));

    assertThat(sim.master()).isEqualTo("b");
    assertThat(sim.election("a").state()).isEqualTo(NodeState.BACKUP);
    assertThat(sim.election("a").reason()).isEqualTo("backup");
    sim.assertConverged();
  }

  @Test
  void majorityLostThenRegained() {
    ClusterSim sim = pairWithWitness();
    sim.start("a", "w"); // b never runs: a and the witness are 2 of 3
    assertThat(sim.master()).isEqualTo("a");

    sim.crash("w", true);
    assertThat(sim.masters()).isEmpty();
    assertThat(last(sim, "a")).isEqualTo(Decision.stepDown(1, "no majority: sees 1 of 3 voters"));

    sim.start("w");
    sim.advance(HEARTBEAT);
    assertThat(sim.master()).isEqualTo("a");
    assertThat(sim.election("a").epoch()).isEqualTo(2);
  }

  @Test
  void withTheWitnessDownThePairRunsOnTwoOfThree() {
    ClusterSim sim = pairWithWitness();
    sim.start("a", "b", "w");
    sim.crash("w", true);
    sim.evictCrashed();
    sim.advance(Duration.ofSeconds(2));
    assertThat(sim.master()).isEqualTo("a");
    assertThat(sim.get("a").decisions).extracting(Decision::action).containsExactly(Action.BECOME_MASTER);

    // The price of the rule: with the witness down too, the last balancer is 1 of 3 and waits.
    sim.crash("a", true);
    sim.advance(Duration.ofSeconds(2));
    assertThat(sim.masters()).isEmpty();
    assertThat(sim.election("b").reason()).isEqualTo("no majority: sees 1 of 3 voters");
  }

  @Test
  void crashedMasterIsReplacedWithTheWitnessUp() {
    ClusterSim sim = pairWithWitness();
    sim.start("a", "b", "w");
    sim.crash("a", true);

    assertThat(sim.master()).isEqualTo("b");
    assertThat(sim.election("b").epoch()).isEqualTo(2);
  }

  @Test
  void hungMasterIsReplacedAndStaysBackupWhenItWakes() {
    ClusterSim sim = pairWithWitness();
    sim.start("a", "b", "w");
    sim.hang("a");
    sim.advance(TIMEOUT.plus(HEARTBEAT));
    assertThat(sim.masters()).containsExactly("b");

    sim.wake("a");
    sim.advance(Duration.ofSeconds(2));
    assertThat(sim.master()).isEqualTo("b");
    sim.assertConverged();
  }

  @Test
  void theWitnessRemembersTheEpochForARestartedBalancer() {
    ClusterSim sim = pairWithWitness();
    sim.start("a", "b", "w");
    sim.crash("a", true);
    assertThat(sim.election("b").epoch()).isEqualTo(2);
    sim.crash("b", true);

    sim.start("a"); // a restarted: it knows no epoch, but the witness does
    sim.advance(HEARTBEAT);
    assertThat(sim.master()).isEqualTo("a");
    assertThat(sim.election("a").epoch()).isEqualTo(3);
  }

  @Test
  void theWitnessIsNeverElected() {
    ClusterSim sim = pairWithWitness();
    sim.start("a", "w");
    sim.health("a", false, "no usable backend");
    sim.advance(Duration.ofSeconds(2));

    // a keeps the VIP while sick (nobody to replace it), and the witness never becomes a candidate.
    assertThat(sim.master()).isEqualTo("a");
    assertThat(sim.get("w").status().state()).isEqualTo(NodeState.BACKUP);
    assertThat(sim.get("w").status().eligible()).isFalse();
  }

  @Test
  void withoutAWitnessAPartitionedPairStillElectsOnBothSides() {
    // Unchanged behaviour: the takeover guard, not a majority, keeps them from both holding the VIP.
    ClusterSim sim = new ClusterSim(false).node("a", 200).node("b", 100);
    sim.start("a", "b");
    sim.partition(List.of(Set.of("a"), Set.of("b")));
    assertThat(sim.masters()).containsExactlyInAnyOrder("a", "b");
  }

  /** b with the witness: elected, then refused by the guard (the cut-off holder still serves). */
  private static Decision refusedThenRetry(Quorum quorum, long after) {
    long[] now = {1_000_000};
    Election e = new Election("b", 100, false, Duration.ofMillis(1000), () -> now[0], quorum);
    e.local(true, true, true, "");
    e.tick();
    e.view(Set.of("b", "w"), false);
    e.peerStatus(new WitnessState("w").status(0, 0));
    assertThat(e.decide().action()).isEqualTo(Action.BECOME_MASTER);
    e.takeoverRefused("the VIP answers from a live node");
    now[0] += after;
    e.peerStatus(new WitnessState("w").status(0, 0));
    return e.decide();
  }

  @Test
  void aRefusedTakeoverIsTriedAgainSoonerWithAWitness() {
    // With a witness the holder this node cannot hear is on the minority side and lets go at once.
    assertThat(refusedThenRetry(Quorum.withWitness(2, WINDOW), 199).action()).isEqualTo(Action.KEEP);
    assertThat(refusedThenRetry(Quorum.withWitness(2, WINDOW), 200).action()).isEqualTo(Action.BECOME_MASTER);
    assertThat(refusedThenRetry(Quorum.NONE, 999).action()).isEqualTo(Action.KEEP);
    assertThat(refusedThenRetry(Quorum.NONE, 1000).action()).isEqualTo(Action.BECOME_MASTER);
  }

  /** a and b, both hearing the witness and each other: a (the higher priority) becomes MASTER. */
  private static NodeStatus electAWithTheWitness(Election a, Election b) {
    NodeStatus w = new WitnessState("w").status(0, 0);
    for (Election e : List.of(a, b)) {
      e.local(true, true, true, "");
      e.tick();
      e.view(Set.of("a", "b", "w"), false);
      e.peerStatus(w);
    }
    b.peerStatus(a.status(0, "", 0, 0));
    a.peerStatus(b.status(0, "", 0, 0));
    assertThat(a.decide().action()).isEqualTo(Action.BECOME_MASTER);
    a.vipAcquired(true, null);
    b.peerStatus(a.status(0, "", 0, 0));
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    return w;
  }

  @Test
  void aCutOffMasterLetsGoBeforeThePeerMayTakeOver() {
    long[] now = {1_000_000};
    Quorum q = Quorum.withWitness(2, WINDOW);
    Election a = new Election("a", 200, false, Duration.ofMillis(1000), () -> now[0], q);
    Election b = new Election("b", 100, false, Duration.ofMillis(1000), () -> now[0], q);
    NodeStatus w = electAWithTheWitness(a, b);

    // The cut: a hears nobody, nobody hears a; b still hears the witness. Timers tick every 100 ms.
    Decision aStepsDown = null;
    long aAt = 0;
    long bAt = 0;
    for (int t = 100; t <= 2000 && bAt == 0; t += 100) {
      now[0] += 100;
      a.tick();
      b.tick();
      b.peerStatus(w);
      Decision da = a.decide();
      if (aStepsDown == null && da.action() == Action.STEP_DOWN) {
        aStepsDown = da;
        aAt = t;
        a.vipReleased();
      }
      if (b.decide().action() == Action.BECOME_MASTER) {
        bAt = t;
      }
    }
    assertThat(aStepsDown.reason()).isEqualTo("no majority: sees 1 of 3 voters");
    assertThat(aAt).isEqualTo(700); // the first tick past the 600 ms window
    assertThat(bAt).isEqualTo(1100); // the first tick past the 1000 ms timeout: 400 ms after a let go
  }

  /**
   * a was MASTER (epoch 1) and was cut off; b took over with the witness (epoch 2). Every node kept
   * the others in its view (the cut was shorter than JGroups' failure detection). Returns a, and
   * in {@code backupBeforeTakeover} a status b sent during the cut before it took over.
   */
  private static Election healedWithBMaster(long[] now, Election b, NodeStatus[] backupBeforeTakeover) {
    Quorum q = Quorum.withWitness(2, WINDOW);
    Election a = new Election("a", 200, false, Duration.ofMillis(1000), () -> now[0], q);
    NodeStatus w = electAWithTheWitness(a, b);
    boolean aDown = false;
    boolean bUp = false;
    for (int t = 100; t <= 2000 && !(aDown && bUp); t += 100) {
      now[0] += 100;
      a.tick();
      b.tick();
      b.peerStatus(w);
      if (a.decide().action() == Action.STEP_DOWN) {
        a.vipReleased();
        aDown = true;
      }
      backupBeforeTakeover[0] = b.status(0, "", 0, 0);
      if (b.decide().action() == Action.BECOME_MASTER) {
        b.vipAcquired(true, null);
        bUp = true;
      }
    }
    assertThat(aDown && bUp).isTrue();
    assertThat(backupBeforeTakeover[0].state()).isEqualTo(NodeState.BACKUP);
    assertThat(b.epoch()).isEqualTo(2);
    return a;
  }

  /** The witness's status once it has heard b as MASTER: it carries b's epoch. */
  private static NodeStatus witnessThatSaw(Election b) {
    WitnessState w = new WitnessState("w");
    w.peerStatus(b.status(0, "", 0, 0));
    return w.status(0, 0);
  }

  private static Election b(long[] now) {
    return new Election("b", 100, false, Duration.ofMillis(1000), () -> now[0], Quorum.withWitness(2, WINDOW));
  }

  @Test
  void afterTheHealWhatQueuedUpDuringTheCutDoesNotMakeASecondMaster() {
    long[] now = {1_000_000};
    Election b = b(now);
    NodeStatus[] stale = new NodeStatus[1];
    Election a = healedWithBMaster(now, b, stale);

    // The heal: the witness's status reaches a first, then the burst of what b sent during the cut
    // (a BACKUP status from before it took over first). a has its majority back, and b looks like
    // a live BACKUP with a lower priority: a must still wait for b's current news.
    now[0] += 100;
    a.tick();
    a.peerStatus(witnessThatSaw(b));
    assertThat(a.decide().action()).isEqualTo(Action.KEEP);
    assertThat(a.reason()).isEqualTo("majority regained: waiting for current statuses");
    now[0] += 5;
    a.peerStatus(stale[0]);
    assertThat(a.decide().action()).isEqualTo(Action.KEEP);
    now[0] += 150;
    a.tick();
    a.peerStatus(b.status(0, "", 0, 0));
    assertThat(a.decide().action()).isEqualTo(Action.KEEP);
    for (int t = 0; t < 20; t++) {
      now[0] += 100;
      a.tick();
      a.peerStatus(witnessThatSaw(b));
      a.peerStatus(b.status(0, "", 0, 0));
      assertThat(a.decide().action()).isEqualTo(Action.KEEP);
    }
    assertThat(a.state()).isEqualTo(NodeState.BACKUP);
    assertThat(a.reason()).isEqualTo("backup");
  }

  @Test
  void afterTheHealABurstAloneDoesNotMakeAMaster() {
    long[] now = {1_000_000};
    Election b = b(now);
    NodeStatus[] stale = new NodeStatus[1];
    Election a = healedWithBMaster(now, b, stale);

    // Only the burst reaches a: the others have dropped it from their view meanwhile, so nothing
    // fresh follows until the merge. Its votes run out (the window) before the hold does.
    now[0] += 100;
    a.tick();
    a.peerStatus(witnessThatSaw(b));
    a.peerStatus(stale[0]);
    assertThat(a.decide().action()).isEqualTo(Action.KEEP);
    for (int t = 0; t < 30; t++) {
      now[0] += 100;
      a.tick();
      assertThat(a.decide().action()).isEqualTo(Action.KEEP);
    }
    assertThat(a.reason()).isEqualTo("no majority: sees 1 of 3 voters");
  }

  @Test
  void afterTheHealABalancerThatStaysSilentStopsCountingAtTheTimeout() {
    long[] now = {1_000_000};
    Election b = b(now);
    Election a = healedWithBMaster(now, b, new NodeStatus[1]);

    // b died during the cut but is still in a's view: a waits one timeout from its regained majority.
    NodeStatus w = witnessThatSaw(b);
    long regained = now[0] + 100;
    long tookOver = -1;
    for (now[0] = regained; now[0] <= regained + 2000 && tookOver < 0; now[0] += 100) {
      a.tick();
      a.peerStatus(w);
      if (a.decide().action() == Action.BECOME_MASTER) {
        tookOver = now[0] - regained;
      }
    }
    assertThat(tookOver).isEqualTo(1000);
    assertThat(a.epoch()).isEqualTo(3); // above b's, which the witness passed on
  }

  @Test
  void theWindowLeavesTwoHeartbeatsButAtLeastHalfTheTimeout() {
    assertThat(Quorum.window(Duration.ofMillis(100), Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(300));
    assertThat(Quorum.window(Duration.ofMillis(200), Duration.ofMillis(1500))).isEqualTo(Duration.ofMillis(1100));
    assertThat(Quorum.window(Duration.ofMillis(100), Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void quorumCountsVotersByRoleUpToTheConfiguredNumbers() {
    Quorum q = Quorum.withWitness(2, WINDOW);
    assertThat(q.voters()).isEqualTo(3);
    assertThat(q.majority()).isEqualTo(2);
    assertThat(q.shortfall(1, 0)).isEqualTo("no majority: sees 1 of 3 voters");
    assertThat(q.shortfall(1, 1)).isNull();
    assertThat(q.shortfall(2, 0)).isNull();
    // A second witness or a balancer nobody configured does not make up a majority.
    assertThat(q.seen(1, 2)).isEqualTo(2);
    assertThat(q.seen(5, 0)).isEqualTo(2);
    assertThat(Quorum.withWitness(3, WINDOW).majority()).isEqualTo(3);
    assertThat(Quorum.withWitness(3, WINDOW).shortfall(2, 0)).isEqualTo("no majority: sees 2 of 4 voters");
    assertThat(Quorum.NONE.required()).isFalse();
    assertThat(Quorum.NONE.shortfall(1, 0)).isNull();
  }

  @Test
  void quorumRefusesImpossibleCounts() {
    assertThatThrownBy(() -> Quorum.withWitness(0, WINDOW)).hasMessage("balancers: 0 (expected: >= 1)");
    assertThatThrownBy(() -> new Quorum(2, 0, 0)).hasMessage("balancers: 2 (expected: 0 without a witness)");
    assertThatThrownBy(() -> new Quorum(2, 2, 600)).hasMessage("witnesses: 2 (expected: 0 or 1)");
  }
}
