package io.tandem.cluster;

import org.junit.jupiter.api.Test;

/**
 * 1000 random schedules of crashes, hangs, partitions, health changes and VIP driver failures on
 * three nodes. The simulation checks its invariants after every step; at the end everything is
 * repaired and the cluster must converge to exactly one MASTER.
 */
class ElectionRandomTest {
  @Test
  void randomSchedulesKeepInvariantsAndConverge() {
    ClusterSim.runRandomSchedules(false);
  }
}
