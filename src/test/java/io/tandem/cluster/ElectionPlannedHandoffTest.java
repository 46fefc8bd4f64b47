package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.cluster.Decision.Action;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The planned handoff, message by message, on elections driven by hand: a (priority 200) is MASTER,
 * b (150) and c (100) are BACKUP. Every node hears every status and announcement in order.
 */
class ElectionPlannedHandoffTest {
  private long now = 5_000;
  private final Election a = node("a", 200);
  private final Election b = node("b", 150);
  private final Election c = node("c", 100);

  private Election node(String name, int priority) {
    Election e = new Election(name, priority, false, Duration.ofSeconds(1), () -> now);
    e.view(Set.of("a", "b", "c"), false);
    e.local(true, true, true, "");
    // Out of INIT; peers not heard from yet are waited for.
    assertThat(e.decide().action()).isEqualTo(Action.KEEP);
    return e;
  }

  private static NodeStatus status(Election e) {
    return e.status(1, "127.0.0.1:0", 1, 0);
  }

  /** Every node hears every other's current status. */
  private void gossip() {
    for (Election from : new Election[] {a, b, c}) {
      for (Election to : new Election[] {a, b, c}) {
        if (from != to) {
          to.peerStatus(status(from));
        }
      }
    }
  }

  private void announce(String from, String to, boolean ready) {
    for (Election e : new Election[] {a, b, c}) {
      e.handoffAnnounced(from, to, ready, 3_000);
    }
  }

  /** a MASTER holding the VIP, b and c BACKUP, all known to each other. */
  private void aIsMaster() {
    gossip();
    assertThat(a.decide().action()).isEqualTo(Action.BECOME_MASTER);
    a.vipAcquired(true, null);
    gossip();
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    assertThat(c.decide().action()).isEqualTo(Action.KEEP);
  }

  @Test
  void releaseFirstHandsTheVipToTheNamedTargetEvenIfItIsNotTheBestPriority() {
    aIsMaster();
    assertThat(a.beginHandoff("c", true, 3_000)).isNull();
    assertThat(a.state()).isEqualTo(NodeState.DRAINING);
    announce("a", "c", false);
    gossip();
    // Draining: a keeps the VIP, nobody takes over.
    assertThat(a.decide().action()).isEqualTo(Action.KEEP);
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    assertThat(c.decide().action()).isEqualTo(Action.KEEP);

    a.handoffReady();
    Decision release = a.decide();
    assertThat(release.action()).isEqualTo(Action.STEP_DOWN);
    assertThat(release.reason()).isEqualTo("handing over to c");
    a.vipReleased();
    gossip();
    // c heard a's status without the VIP before the READY: it takes over at once, without the guard.
    // b has the better priority and a is healthy and eligible again, but the handoff names c.
    assertThat(a.decide().action()).isEqualTo(Action.KEEP);
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    Decision take = c.decide();
    assertThat(take.action()).isEqualTo(Action.BECOME_MASTER);
    assertThat(take.epoch()).isEqualTo(2);
    assertThat(c.takingOverByHandoff()).isTrue();
    announce("a", "c", true);
    c.vipAcquired(true, null);
    gossip();
    // Done: c stays MASTER by the usual rule (no preempt), the others are BACKUP.
    for (int i = 0; i < 3; i++) {
      assertThat(a.decide().action()).isEqualTo(Action.KEEP);
      assertThat(b.decide().action()).isEqualTo(Action.KEEP);
      assertThat(c.decide().action()).isEqualTo(Action.KEEP);
      now += 2_000;
      gossip();
    }
    assertThat(c.state()).isEqualTo(NodeState.MASTER);
    assertThat(a.handoff()).isEmpty();
  }

  @Test
  void takeFirstLetsTheTargetBindWhileTheHolderStillServesThenTheHolderReleases() {
    aIsMaster();
    assertThat(a.beginHandoff(null, false, 3_000)).isNull();
    assertThat(a.handoff().orElseThrow().to()).as("the best other candidate").isEqualTo("b");
    announce("a", "b", false);
    gossip();
    assertThat(b.decide().action()).as("a still claims the VIP").isEqualTo(Action.KEEP);

    a.handoffReady();
    assertThat(a.decide().action()).as("take-first: a keeps serving").isEqualTo(Action.KEEP);
    announce("a", "b", true);
    gossip();
    assertThat(c.decide().action()).isEqualTo(Action.KEEP);
    assertThat(b.decide().action()).as("ready: b takes over beside a").isEqualTo(Action.BECOME_MASTER);
    assertThat(b.takingOverByHandoff()).isTrue();
    b.vipAcquired(true, null);
    gossip();
    Decision release = a.decide();
    assertThat(release.action()).isEqualTo(Action.STEP_DOWN);
    assertThat(release.reason()).isEqualTo("handed over to b");
    a.vipReleased();
    gossip();
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    assertThat(b.state()).isEqualTo(NodeState.MASTER);
    assertThat(a.state()).isEqualTo(NodeState.BACKUP);
  }

  @Test
  void aTargetThatDiesWhileTheHolderDrainsLeavesTheHolderMaster() {
    aIsMaster();
    assertThat(a.beginHandoff("b", false, 3_000)).isNull();
    announce("a", "b", false);
    a.suspect("b");
    c.suspect("b");
    Decision d = a.decide();
    assertThat(d.action()).isEqualTo(Action.KEEP);
    assertThat(a.state()).isEqualTo(NodeState.MASTER);
    assertThat(a.handoffFailure()).isEqualTo("handoff to b failed: b is gone");
    assertThat(a.mustReannounce()).isTrue();
    gossip();
    assertThat(c.decide().action()).isEqualTo(Action.KEEP);
  }

  @Test
  void aTargetPausedMidHandoffDoesNotTakeTheVipOnTheAnnouncementsItFindsWhenItWakes() {
    for (Election e : new Election[] {a, b, c}) {
      e.tick();
    }
    aIsMaster();
    assertThat(a.beginHandoff("b", false, 3_000)).isNull();
    a.handoffReady();
    assertThat(a.decide().action()).isEqualTo(Action.KEEP);
    NodeStatus draining = status(a);
    // b is paused (SIGSTOP, say) before it hears any of this; a and c go on.
    for (int i = 0; i < 3; i++) {
      now += 500;
      a.tick();
      c.tick();
      a.peerStatus(status(c));
      c.peerStatus(status(a));
      a.decide();
    }
    assertThat(a.state()).isEqualTo(NodeState.MASTER);
    assertThat(a.handoffFailure()).isEqualTo("handoff to b failed: b is gone");

    // b wakes and handles what queued up before its late tick: the announcements and a's status
    // while draining. Taking over now would move the VIP after the operator was told it failed.
    b.handoffAnnounced("a", "b", false, 3_000);
    b.handoffAnnounced("a", "b", true, 3_000);
    b.peerStatus(draining);
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    b.tick();
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    // Still within a timeout of waking: an announcement naming b is as old as the pause.
    b.handoffAnnounced("a", "b", true, 3_000);
    b.peerStatus(status(a));
    b.peerStatus(status(c));
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    assertThat(b.state()).isEqualTo(NodeState.BACKUP);
    assertThat(a.state()).isEqualTo(NodeState.MASTER);
  }

  @Test
  void aTargetThatDiesAfterTheReleaseIsReplacedByTheUsualRule() {
    aIsMaster();
    assertThat(a.beginHandoff("c", true, 3_000)).isNull();
    announce("a", "c", false);
    a.handoffReady();
    assertThat(a.decide().action()).isEqualTo(Action.STEP_DOWN);
    a.vipReleased();
    gossip();
    announce("a", "c", true);
    a.suspect("c");
    b.suspect("c");
    // No one holds the VIP and c is gone: a (the best candidate) is elected again at once.
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    assertThat(a.decide().action()).isEqualTo(Action.BECOME_MASTER);
  }

  @Test
  void aTargetThatNeverTakesOverIsGivenUpAtTheDeadline() {
    aIsMaster();
    assertThat(a.beginHandoff("b", false, 3_000)).isNull();
    now += 2_000;
    gossip();
    assertThat(a.decide().action()).isEqualTo(Action.KEEP);
    assertThat(a.state()).isEqualTo(NodeState.DRAINING);
    now += 1_001;
    gossip();
    a.decide();
    assertThat(a.state()).isEqualTo(NodeState.MASTER);
    assertThat(a.handoffFailure()).isEqualTo("handoff to b failed: b did not take the VIP in time");
  }

  @Test
  void refusesTargetsThatCannotTakeOver() {
    assertThat(a.beginHandoff("b", false, 1_000)).isEqualTo("a is BACKUP, not MASTER: only the MASTER hands over");
    aIsMaster();
    assertThat(a.beginHandoff("a", false, 1_000)).isEqualTo("a is this node, which already is MASTER");
    assertThat(a.beginHandoff("z", false, 1_000)).isEqualTo("unknown node 'z' (members: a, b, c)");

    b.local(false, true, true, "no usable backend");
    c.local(true, true, false, "");
    b.decide();
    c.decide();
    gossip();
    assertThat(a.beginHandoff("b", false, 1_000)).isEqualTo("b is unhealthy: no usable backend");
    assertThat(a.beginHandoff("c", false, 1_000)).isEqualTo("c is in maintenance (not eligible)");
    assertThat(a.beginHandoff(null, false, 1_000))
        .isEqualTo("no other member is healthy, in sync, eligible and reachable: b unhealthy, c in maintenance");

    b.local(true, false, true, "");
    gossip();
    assertThat(a.beginHandoff("b", false, 1_000)).isEqualTo("b does not hold the whole sticky table yet (not in sync)");

    a.suspect("b");
    assertThat(a.beginHandoff("b", false, 1_000)).isEqualTo("b is not reachable (gone)");
    assertThat(a.state()).isEqualTo(NodeState.MASTER);
  }

  @Test
  void refusesWithoutAnyPeer() {
    Election alone = new Election("a", 200, false, Duration.ofSeconds(1), () -> now);
    alone.view(Set.of("a"), false);
    alone.local(true, true, true, "");
    assertThat(alone.decide().action()).isEqualTo(Action.BECOME_MASTER);
    alone.vipAcquired(true, null);
    assertThat(alone.beginHandoff(null, false, 1_000)).isEqualTo("no other member to hand over to");
  }

  @Test
  void withPreemptRefusesAHandoffThatWouldBeUndone() {
    Election pa = new Election("a", 200, true, Duration.ofSeconds(1), () -> now);
    Election pb = new Election("b", 150, true, Duration.ofSeconds(1), () -> now);
    for (Election e : new Election[] {pa, pb}) {
      e.view(Set.of("a", "b"), false);
      e.local(true, true, true, "");
      e.decide();
    }
    pb.peerStatus(status(pa));
    pa.peerStatus(status(pb));
    assertThat(pa.decide().action()).isEqualTo(Action.BECOME_MASTER);
    pa.vipAcquired(true, null);
    pa.peerStatus(status(pb));
    assertThat(pa.beginHandoff("b", false, 1_000)).startsWith("preempt is on and a (priority 200) would take the VIP back");
    // In maintenance a is not a candidate: nothing would take it back.
    pa.local(true, true, false, "");
    assertThat(pa.beginHandoff("b", false, 1_000)).isNull();
  }
}
