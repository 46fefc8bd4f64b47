package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.cluster.Decision.Action;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Two elections driven by hand, to pin down the order of a handover message by message. */
class ElectionHandoverTest {
  private long now = 5_000;

  private Election node(String name, int priority, boolean preempt) {
    Election e = new Election(name, priority, preempt, Duration.ofSeconds(1), () -> now);
    e.view(Set.of("a", "b"), false);
    e.local(true, true, true, "");
    return e;
  }

  private static NodeStatus status(Election e) {
    return e.status(1, "127.0.0.1:0", 1, 0);
  }

  /** a is MASTER holding the VIP, b has heard it. */
  private Election[] masterAndBackup(boolean preempt, int bPriority) {
    Election a = node("a", 100, preempt);
    // a is alone until b's status arrives: a peer in the view that has not spoken is waited for.
    now += 1_001;
    assertThat(a.decide()).isEqualTo(Decision.becomeMaster(1, "elected with priority 100"));
    a.vipAcquired(true, null);
    Election b = node("b", bPriority, preempt);
    b.peerStatus(status(a));
    return new Election[] {a, b};
  }

  @Test
  void higherPriorityWaitsUntilMasterReleasedTheVip() {
    Election[] ab = masterAndBackup(true, 200);
    Election a = ab[0];
    Election b = ab[1];

    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    a.peerStatus(status(b));
    Decision down = a.decide();
    assertThat(down.action()).isEqualTo(Action.STEP_DOWN);
    assertThat(down.epoch()).isEqualTo(1);
    assertThat(a.state()).isEqualTo(NodeState.BACKUP);

    b.peerStatus(status(a)); // BACKUP, but the VIP is still on a
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);

    a.vipReleased();
    b.peerStatus(status(a));
    assertThat(b.decide()).isEqualTo(Decision.becomeMaster(2, "elected with priority 200"));
    assertThat(b.maxEpochSeen()).isEqualTo(2);
    assertThat(a.decide().action()).isEqualTo(Action.KEEP);
  }

  @Test
  void waitsForPeerInViewThatHasNotSpoken() {
    Election b = node("b", 200, false);
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    assertThat(b.state()).isEqualTo(NodeState.BACKUP);
    now += 1_000;
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    now += 1;
    assertThat(b.decide().action()).isEqualTo(Action.BECOME_MASTER);
  }

  @Test
  void newerStatusClearsFalseSuspicion() {
    Election[] ab = masterAndBackup(false, 200);
    Election a = ab[0];
    Election b = ab[1];

    b.suspect("a");
    b.peerStatus(status(a));
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);

    b.suspect("a");
    assertThat(b.decide()).isEqualTo(Decision.becomeMaster(2, "elected with priority 200"));
  }

  @Test
  void suspectedMasterThatSpeaksAgainStepsDownToHigherEpoch() {
    Election[] ab = masterAndBackup(false, 50);
    Election a = ab[0];
    Election b = ab[1];
    b.suspect("a");
    assertThat(b.decide().action()).isEqualTo(Action.BECOME_MASTER);
    b.vipAcquired(true, null);

    a.peerStatus(status(b));
    assertThat(a.decide().reason()).isEqualTo("two masters: b has epoch 2 (mine 1)");
    a.vipReleased();
    b.peerStatus(status(a));
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    assertThat(b.mustReannounce()).isTrue();
  }

  @Test
  void asksForReleaseWhenAcquireCompletesAfterStepDown() {
    Election[] ab = masterAndBackup(true, 200);
    Election a = ab[0];
    ab[1].decide();
    a.vipReleased(); // pretend the acquire is still running
    a.peerStatus(status(ab[1]));
    assertThat(a.decide().action()).isEqualTo(Action.STEP_DOWN);
    a.vipReleased();

    a.vipAcquired(true, null);

    assertThat(a.decide().reason()).isEqualTo("holding the VIP while BACKUP");
    assertThat(a.decide().action()).isEqualTo(Action.KEEP);
  }

  @Test
  void epochFollowsHighestSeenAnywhere() {
    Election b = node("b", 200, false);
    b.peerStatus(
        new NodeStatus(
            "a", 100, NodeState.BACKUP, 4, 9, false, true, true, false, 0, "", "", 1, 0));
    assertThat(b.maxEpochSeen()).isEqualTo(9);
    assertThat(b.decide()).isEqualTo(Decision.becomeMaster(10, "elected with priority 200"));
  }

  @Test
  void pauseOnBackupMakesPeersUnknownUntilTheySpeak() {
    Election[] ab = masterAndBackup(false, 200);
    Election a = ab[0];
    Election b = ab[1];
    b.tick();
    now += 3_000;
    b.tick(); // b was frozen: what it knows of a is old
    // Without the pause rule a's status, 3 s old, would count as silence and b would take over.
    assertThat(b.decide().action()).isEqualTo(Action.KEEP);
    now += 1_001;
    assertThat(b.decide().action())
        .as("a silent for a whole timeout after the pause")
        .isEqualTo(Action.BECOME_MASTER);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new Election("a", 0, false, Duration.ofSeconds(1), () -> 0))
        .hasMessage("priority: 0 (expected: 1-254)");
    assertThatThrownBy(() -> new Election("a", 255, false, Duration.ofSeconds(1), () -> 0))
        .hasMessage("priority: 255 (expected: 1-254)");
    assertThatThrownBy(() -> new Election(" ", 1, false, Duration.ofSeconds(1), () -> 0))
        .hasMessage("name: ' ' (expected: a non-blank name)");
    assertThatThrownBy(() -> new Election("a", 1, false, Duration.ZERO, () -> 0))
        .hasMessage("heartbeatTimeout: PT0S (expected: > 0)");
  }
}
