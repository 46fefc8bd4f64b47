package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.cluster.AwaitedTable.Step;
import org.junit.jupiter.api.Test;

class AwaitedTableTest {
  static final long SYNCS_AT_JOIN = 3;

  /** Beats until the table asks for a probe; returns how many it took. */
  static int beatsToProbe(AwaitedTable t) {
    for (int i = 1; i <= 100; i++) {
      if (t.beat(SYNCS_AT_JOIN) == Step.PROBE) {
        return i;
      }
    }
    throw new AssertionError("no probe in 100 beats");
  }

  @Test
  void probesOnceEveryHeartbeatTimeout() {
    AwaitedTable t = new AwaitedTable(SYNCS_AT_JOIN, 5);
    assertThat(beatsToProbe(t)).isEqualTo(5);
    assertThat(t.probed(true)).isEqualTo(Step.WAIT);
    assertThat(beatsToProbe(t)).isEqualTo(5);
  }

  @Test
  void doesNotProbeAgainWhileAProbeRuns() {
    AwaitedTable t = new AwaitedTable(SYNCS_AT_JOIN, 1);
    assertThat(t.beat(SYNCS_AT_JOIN)).isEqualTo(Step.PROBE);
    for (int i = 0; i < 10; i++) {
      assertThat(t.beat(SYNCS_AT_JOIN)).isEqualTo(Step.WAIT);
    }
    t.probed(true);
    assertThat(t.beat(SYNCS_AT_JOIN)).isEqualTo(Step.PROBE);
  }

  @Test
  void theMergeEndsTheWaitEvenWhileAProbeRuns() {
    AwaitedTable t = new AwaitedTable(SYNCS_AT_JOIN, 2);
    assertThat(t.beat(SYNCS_AT_JOIN)).isEqualTo(Step.WAIT);
    assertThat(t.beat(SYNCS_AT_JOIN)).isEqualTo(Step.PROBE);
    assertThat(t.beat(SYNCS_AT_JOIN + 1)).isEqualTo(Step.MERGED);
  }

  @Test
  void oneProbeThatFindsTheHolderGoneIsNotEnough() {
    // The drills' race: a MASTER whose timers ran late gave the VIP up and took it back; the lone
    // node's single probe fell between the two, and it started with an empty table.
    AwaitedTable t = new AwaitedTable(SYNCS_AT_JOIN, 5);
    beatsToProbe(t);
    assertThat(t.probed(false)).isEqualTo(Step.WAIT);
    assertThat(t.goneProbes()).isEqualTo(1);
    beatsToProbe(t);
    assertThat(t.probed(true)).as("the holder took the VIP back").isEqualTo(Step.WAIT);
    assertThat(t.goneProbes()).isZero();
    beatsToProbe(t);
    assertThat(t.probed(false)).as("the count starts again").isEqualTo(Step.WAIT);
  }

  @Test
  void aHolderAwayForFourTimeoutsDiedBeforeTheMerge() {
    AwaitedTable t = new AwaitedTable(SYNCS_AT_JOIN, 5);
    beatsToProbe(t);
    assertThat(t.probed(false)).isEqualTo(Step.WAIT);
    for (int i = 2; i < AwaitedTable.GONE_PROBES; i++) {
      assertThat(beatsToProbe(t)).as("a heartbeat timeout after the last").isEqualTo(5);
      assertThat(t.probed(false)).isEqualTo(Step.WAIT);
    }
    assertThat(beatsToProbe(t)).isEqualTo(5);
    assertThat(t.probed(false)).isEqualTo(Step.HOLDER_GONE);
    assertThat(AwaitedTable.GONE_PROBES).as("four timeouts").isEqualTo(5);
  }

  @Test
  void refusesAProbePeriodUnderOneBeat() {
    assertThatThrownBy(() -> new AwaitedTable(0, 0)).hasMessage("beatsPerProbe: 0 (expected: >= 1)");
  }
}
