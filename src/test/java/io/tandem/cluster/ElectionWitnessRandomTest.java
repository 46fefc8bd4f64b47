package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * 1000 random schedules on two balancers and a witness: crashes, hangs, partitions, health changes
 * and VIP driver failures. Besides the simulation's own invariants (checked per connected group),
 * the majority rule promises more: after every step there is at most one MASTER among all running
 * nodes, whatever the partition. Repaired at the end, the cluster converges to one MASTER.
 */
class ElectionWitnessRandomTest {
  private static final List<String> NAMES = List.of("a", "b", "w");

  @Test
  void randomSchedulesNeverHaveTwoMastersAndConverge() {
    for (int seed = 0; seed < 1000; seed++) {
      Random rnd = new Random(seed);
      ClusterSim sim = new ClusterSim(rnd.nextBoolean())
          .node("a", 100 + rnd.nextInt(3))
          .node("b", 100 + rnd.nextInt(3))
          .witness("w");
      List<String> log = new ArrayList<>();
      try {
        sim.start("a", "b", "w");
        for (int step = 0; step < 40; step++) {
          log.add(event(sim, rnd));
          assertThat(sim.masters()).as("MASTERs anywhere: %s", sim.describe()).hasSizeLessThanOrEqualTo(1);
        }
        repairAndConverge(sim, log);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + " after " + log + ": " + e.getMessage(), e);
      }
    }
  }

  private static String event(ClusterSim sim, Random rnd) {
    String n = NAMES.get(rnd.nextInt(NAMES.size()));
    ClusterSim.Node node = sim.get(n);
    boolean balancer = !node.isWitness;
    switch (rnd.nextInt(10)) {
      case 0 -> {
        if (!node.crashed) {
          sim.crash(n, rnd.nextBoolean());
          return "crash " + n;
        }
        sim.start(n);
        return "restart " + n;
      }
      case 1 -> {
        if (node.crashed && balancer) {
          sim.startUnsynced(n);
          return "restart unsynced " + n;
        }
        if (node.crashed || !balancer) {
          return "nothing";
        }
        sim.sync(n);
        return "sync " + n;
      }
      case 2 -> {
        if (node.crashed) {
          return "nothing";
        }
        if (node.hung) {
          sim.wake(n);
          return "wake " + n;
        }
        sim.hang(n);
        return "hang " + n;
      }
      case 3 -> {
        int mask = rnd.nextInt(8);
        List<Set<String>> groups = List.of(side(mask, 1), side(mask, 0));
        sim.partition(groups);
        return "partition " + groups;
      }
      case 4 -> {
        sim.heal();
        return "heal";
      }
      case 5 -> {
        if (!balancer) {
          return "nothing";
        }
        boolean healthy = rnd.nextInt(3) > 0;
        sim.health(n, healthy, healthy ? "" : "no usable backend");
        return (healthy ? "healthy " : "sick ") + n;
      }
      case 6 -> {
        sim.evictCrashed();
        return "evict crashed";
      }
      default -> {
        Duration d = Duration.ofMillis(50 + rnd.nextInt(2500));
        sim.advance(d);
        return "advance " + d.toMillis();
      }
    }
  }

  private static Set<String> side(int mask, int bit) {
    return NAMES.stream().filter(x -> (mask >> NAMES.indexOf(x) & 1) == bit).collect(Collectors.toSet());
  }

  private static void repairAndConverge(ClusterSim sim, List<String> log) {
    log.add("repair");
    sim.heal();
    for (String n : NAMES) {
      ClusterSim.Node node = sim.get(n);
      if (node.crashed) {
        sim.start(n);
      } else if (node.hung) {
        sim.wake(n);
      }
      if (!node.isWitness) {
        sim.health(n, true, "");
        sim.sync(n);
      }
    }
    sim.advance(ClusterSim.TIMEOUT.multipliedBy(3));
    sim.assertConverged();
    assertThat(sim.master()).isNotNull();
  }
}
