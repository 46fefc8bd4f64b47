package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two nodes that decide to take over at the same moment (each before it heard of the other: one
 * woke from a pause while the other was replacing it). Seen in the drills on a starved host: both
 * took the VIP for 125 ms. A pending takeover now claims the VIP in its status, and the node that
 * comes second gives way before it acquires anything.
 */
class TakeoverRaceTest {
  long now = 1_000;

  Election node(String name, int priority) {
    Election e = new Election(name, priority, false, Duration.ofMillis(500), () -> now);
    e.view(Set.of("a", "b"), false);
    e.local(true, true, true, null);
    return e;
  }

  @Test
  void ofTwoSimultaneousTakeoversTheLowerPriorityGivesWay() {
    Election a = node("a", 100);
    Election b = node("b", 200);
    // Each has last heard the other as a BACKUP, then lost it (suspected): each is now the elected one.
    a.peerStatus(b.status(3, "", 2, now));
    b.peerStatus(a.status(3, "", 1, now));
    a.suspect("b");
    b.suspect("a");
    assertThat(a.decide().action()).isEqualTo(Decision.Action.BECOME_MASTER);
    assertThat(b.decide().action()).isEqualTo(Decision.Action.BECOME_MASTER);

    // Their "taking over" statuses cross while the guards run.
    NodeStatus fromA = a.status(3, "", 1, now);
    NodeStatus fromB = b.status(3, "", 2, now);
    assertThat(fromA.state()).isEqualTo(NodeState.BACKUP);
    assertThat(fromA.vipHeld()).as("a pending takeover claims the VIP").isTrue();
    a.peerStatus(fromB);
    b.peerStatus(fromA);

    assertThat(a.mustYield()).isTrue();
    assertThat(b.mustYield()).isFalse();
    a.takeoverRefused("another node is taking the VIP over first");
    b.vipAcquired(true, null);
    assertThat(a.state()).isEqualTo(NodeState.BACKUP);
    assertThat(b.state()).isEqualTo(NodeState.MASTER);
    assertThat(a.status(3, "", 1, now).vipHeld()).isFalse();
  }

  @Test
  void aPeerThatClaimsTheVipKeepsOthersFromStartingATakeover() {
    Election a = node("a", 100);
    Election b = node("b", 200);
    a.peerStatus(b.status(3, "", 2, now));
    b.peerStatus(a.status(3, "", 1, now));
    b.suspect("a");
    assertThat(b.decide().action()).isEqualTo(Decision.Action.BECOME_MASTER);
    // a hears b taking over before it decides anything itself: it waits.
    a.peerStatus(b.status(3, "", 2, now));
    a.suspect("c");
    assertThat(a.decide().action()).isEqualTo(Decision.Action.KEEP);
    assertThat(a.mustYield()).isFalse();
  }

  @Test
  void withoutAPendingTakeoverNothingYields() {
    Election a = node("a", 100);
    assertThat(a.mustYield()).isFalse();
  }

  @Test
  void aNodeThatJustWokeDoesNotBelieveTheSocketsItsPeersClosed() {
    Election a = node("a", 100);
    Election b = node("b", 200);
    a.peerStatus(b.status(3, "", 2, now));
    a.tick();
    now += 5_000; // a was frozen: b has replaced it meanwhile and dropped it from its view
    a.tick();
    a.decide();
    a.suspect("b"); // FD_SOCK2: b closed its socket to a
    assertThat(a.decide().action()).as("b is waited for, not taken for dead").isEqualTo(Decision.Action.KEEP);
    now += 600; // b stays silent past the timeout: it is gone after all
    assertThat(a.decide().action()).isEqualTo(Decision.Action.BECOME_MASTER);
  }
}
