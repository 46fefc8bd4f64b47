package io.tandem.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * 1000 random schedules of crashes, hangs, partitions, health changes and VIP driver failures on
 * three nodes. The simulation checks its invariants after every step; at the end everything is
 * repaired and the cluster must converge to exactly one MASTER.
 */
class ElectionRandomTest {
  private static final List<String> NAMES = List.of("a", "b", "c");

  @Test
  void randomSchedulesKeepInvariantsAndConverge() {
    for (int seed = 0; seed < 1000; seed++) {
      Random rnd = new Random(seed);
      // a and b often tie on priority, so the name tie-break gets exercised too.
      ClusterSim sim =
          new ClusterSim(rnd.nextBoolean())
              .node("a", 100 + rnd.nextInt(3))
              .node("b", 100 + rnd.nextInt(3))
              .node("c", 200);
      List<String> log = new ArrayList<>();
      try {
        sim.start("a", "b", "c");
        for (int step = 0; step < 40; step++) {
          log.add(event(sim, rnd));
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
    switch (rnd.nextInt(11)) {
      case 0 -> {
        if (!node.crashed) {
          sim.crash(n, rnd.nextBoolean());
          return "crash " + n;
        }
        sim.start(n);
        return "restart " + n;
      }
      case 1 -> {
        if (node.crashed) {
          sim.startUnsynced(n);
          return "restart unsynced " + n;
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
        boolean healthy = rnd.nextInt(3) > 0;
        sim.health(n, healthy, healthy ? "" : "no usable backend");
        return (healthy ? "healthy " : "sick ") + n;
      }
      case 6 -> {
        sim.failNextAcquire(n);
        return "fail next acquire " + n;
      }
      case 7 -> {
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
    return NAMES.stream()
        .filter(x -> (mask >> NAMES.indexOf(x) & 1) == bit)
        .collect(Collectors.toSet());
  }

  private static void repairAndConverge(ClusterSim sim, List<String> log) {
    log.add("repair");
    sim.heal();
    for (String n : NAMES) {
      ClusterSim.Node node = sim.get(n);
      node.failNextAcquire = false;
      if (node.crashed) {
        sim.start(n);
      } else if (node.hung) {
        sim.wake(n);
      }
      sim.health(n, true, "");
      sim.sync(n);
    }
    sim.advance(ClusterSim.TIMEOUT.multipliedBy(3));
    sim.assertConverged();
    String master = sim.master();
    sim.advance(ClusterSim.TIMEOUT.multipliedBy(3));
    if (!master.equals(sim.master())) {
      throw new AssertionError("MASTER moved without a cause: " + master + " -> " + sim.master());
    }
  }
}
