package io.tandem.cluster;

import org.junit.jupiter.api.Test;

/**
 * 1000 random schedules on two balancers and a witness: crashes, hangs, partitions and health
 * changes (no VIP driver failures). Besides the simulation's own invariants (checked per connected
 * group), the majority rule promises more: after every step there is at most one MASTER among all
 * running nodes, whatever the partition. Repaired at the end, the cluster converges to one MASTER.
 */
class ElectionWitnessRandomTest {
  @Test
  void randomSchedulesNeverHaveTwoMastersAndConverge() {
    ClusterSim.runRandomSchedules(true);
  }
}
