package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * N elections on a fake clock and a fake network. Statuses go to every connected peer at once
 * (connected: same partition, neither crashed nor hung), except across a cut ({@link #cut}: held
 * back, then delivered in a burst; a takeover across it meets the guard, which finds the holder's
 * data path alive and refuses); the VIP is a flag the simulation sets when
 * a node acts on its decisions, which it does at once. After every step it runs the nodes until
 * nothing changes and checks the invariants: no node takes the VIP while a connected peer holds
 * it, epochs grow, and at rest each connected group has at most one MASTER and one holder, and the
 * MASTERs are exactly the holders. A witness ({@link #witness}) runs a {@link WitnessState}
 * instead of an election; with one, every balancer's election requires a majority ({@link Quorum}).
 */
final class ClusterSim {
  static final Duration TIMEOUT = Duration.ofMillis(1000);
  static final Duration HEARTBEAT = Duration.ofMillis(250);

  /** One simulated process and the host around it. */
  static final class Node {
    final String name;
    final int priority;
    Election election; // null for a witness
    WitnessState witness; // a witness's, else null
    final boolean isWitness;
    boolean crashed = true; // until started
    boolean hung;
    boolean vip;
    int partition;
    /** The side of a cut (cluster traffic lost, views unchanged) this node is on; 0: no cut. */
    int cut;
    /** Statuses sent to this node across a cut, delivered in one burst when it heals. */
    final List<NodeStatus> held = new ArrayList<>();
    boolean healthy = true;
    boolean inSync;
    String fault = "";
    boolean failNextAcquire;
    Set<String> view = Set.of();
    NodeStatus lastSent;
    final List<Decision> decisions = new ArrayList<>();

    Node(String name, int priority, boolean isWitness) {
      this.name = name;
      this.priority = priority;
      this.isWitness = isWitness;
    }

    NodeStatus status() {
      return isWitness ? witness.status(0, 0) : election.status(0, name, 0, 0);
    }

    void hear(NodeStatus s) {
      if (isWitness) {
        witness.peerStatus(s);
      } else {
        election.peerStatus(s);
      }
    }
  }

  private final boolean preempt;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private long now = 1_000_000;

  ClusterSim(boolean preempt) {
    this.preempt = preempt;
  }

  ClusterSim node(String name, int priority) {
    nodes.put(name, new Node(name, priority, false));
    return this;
  }

  /** A witness: it votes, and every balancer then needs a majority. */
  ClusterSim witness(String name) {
    nodes.put(name, new Node(name, 0, true));
    return this;
  }

  Node get(String name) {
    return nodes.get(name);
  }

  Election election(String name) {
    return nodes.get(name).election;
  }

  long now() {
    return now;
  }

  /** Starts (or restarts) every named node at once, in sync, and lets them elect. */
  void start(String... names) {
    for (String n : names) {
      boot(n, true);
    }
    updateViews(false);
    settle();
  }

  /** Starts a node that has not received the table yet: it stays INIT until {@link #sync}. */
  void startUnsynced(String name) {
    boot(name, false);
    updateViews(false);
    settle();
  }

  private void boot(String name, boolean inSync) {
    Node n = nodes.get(name);
    n.crashed = false;
    n.hung = false;
    n.vip = false;
    n.inSync = inSync;
    n.view = Set.of();
    n.lastSent = null;
    n.held.clear();
    n.decisions.clear();
    if (n.isWitness) {
      n.witness = new WitnessState(n.name);
      return;
    }
    long balancers = nodes.values().stream().filter(x -> !x.isWitness).count();
    Quorum quorum = balancers < nodes.size()
        ? Quorum.withWitness((int) balancers, Quorum.window(HEARTBEAT, TIMEOUT)) : Quorum.NONE;
    n.election = new Election(n.name, n.priority, preempt, TIMEOUT, () -> now, quorum);
    n.election.local(n.healthy, n.inSync, true, n.fault);
    n.election.tick();
  }

  void sync(String name) {
    Node n = nodes.get(name);
    n.inSync = true;
    report(n);
  }

  void health(String name, boolean healthy, String fault) {
    Node n = nodes.get(name);
    n.healthy = healthy;
    n.fault = fault;
    report(n);
  }

  private void report(Node n) {
    if (!n.crashed && !n.isWitness) {
      n.election.local(n.healthy, n.inSync, true, n.fault);
    }
    settle();
  }

  void failNextAcquire(String name) {
    nodes.get(name).failNextAcquire = true;
  }

  /** kill -9: the VIP goes with it (its lease, or the guard's probe, tells peers it is dead). */
  void crash(String name, boolean suspectAtOnce) {
    Node n = nodes.get(name);
    n.crashed = true;
    n.vip = false;
    if (suspectAtOnce) {
      for (Node p : connectedTo(n)) {
        if (!p.isWitness) {
          p.election.suspect(name);
        }
      }
      settle();
    }
  }

  /** The view catches up with crashes (after VERIFY_SUSPECT2 or FD_ALL3). */
  void evictCrashed() {
    updateViews(false);
    settle();
  }

  /** SIGSTOP: neither ticks, decides, sends nor receives; stays in the views; keeps the VIP. */
  void hang(String name) {
    nodes.get(name).hung = true;
  }

  /** SIGCONT: its timers fire late, then it gets what was queued for it. */
  void wake(String name) {
    Node n = nodes.get(name);
    n.hung = false;
    if (n.isWitness) {
      n.view = members(n);
      settle();
      return;
    }
    n.election.tick();
    Set<String> members = members(n);
    if (!members.equals(n.view)) {
      n.view = members;
      n.election.view(members, false);
    }
    for (Node p : connectedTo(n)) {
      send(p, n, p.lastSent);
    }
    deliverHeld(n);
    n.lastSent = null;
    settle();
  }

  /**
   * Cuts the cluster traffic between the two sides without a view change (the moments before the
   * failure detector notices, or a cut shorter than it): statuses across it are held back and
   * delivered in one burst by {@link #uncut}, as TCP and JGroups' retransmissions deliver what
   * queued up. The data path stays up, so a takeover guard still finds a live holder across it.
   */
  void cut(Set<String> side) {
    nodes.values().forEach(n -> n.cut = side.contains(n.name) ? 1 : 2);
    // A link that a new cut leaves up delivers what an earlier cut held back on it.
    running().forEach(this::deliverHeld);
    settle();
  }

  /** The cut heals: every running node hears what was held back for it, in order, now. */
  void uncut() {
    nodes.values().forEach(n -> n.cut = 0);
    running().forEach(this::deliverHeld);
    settle();
  }

  /** n hears, in order, what was held back for it from senders on its side of the cut now. */
  private void deliverHeld(Node n) {
    List<NodeStatus> across = new ArrayList<>();
    for (NodeStatus h : n.held) {
      if (nodes.get(h.name()).cut == n.cut) {
        n.hear(h);
      } else {
        across.add(h);
      }
    }
    n.held.clear();
    n.held.addAll(across);
  }

  private static void send(Node from, Node to, NodeStatus s) {
    if (s == null) {
      return;
    }
    // In order per sender, as TCP delivers: behind what is held back from it already.
    if (from.cut != to.cut || to.held.stream().anyMatch(h -> h.name().equals(s.name()))) {
      to.held.add(s);
    } else {
      to.hear(s);
    }
  }

  /**
   * A partition the views see (the failure detector noticed). It replaces a cut in place: what the
   * cut held back between members that stay together arrives (their link is up), and what it held
   * back between members it separates is dropped with the old view (JGroups keeps no messages for
   * members that left).
   */
  void partition(List<Set<String>> groups) {
    for (int i = 0; i < groups.size(); i++) {
      for (String name : groups.get(i)) {
        nodes.get(name).partition = i;
      }
    }
    for (Node n : nodes.values()) {
      n.cut = 0;
      n.held.removeIf(h -> nodes.get(h.name()).partition != n.partition);
    }
    for (Node n : running()) {
      deliverHeld(n);
    }
    updateViews(false);
    settle();
  }

  /** The partition heals and the views merge; a cut in place heals first (a merge needs the link). */
  void heal() {
    uncut();
    nodes.values().forEach(n -> n.partition = 0);
    updateViews(true);
    settle();
  }

  /** Time passes in heartbeats: every running node ticks and broadcasts its status. */
  void advance(Duration d) {
    long end = now + d.toMillis();
    while (now < end) {
      now = Math.min(end, now + HEARTBEAT.toMillis());
      for (Node n : running()) {
        if (!n.isWitness) {
          n.election.tick();
        }
        n.lastSent = null; // the heartbeat goes out even when nothing changed
      }
      settle();
    }
  }

  private void updateViews(boolean merge) {
    for (Node n : running()) {
      Set<String> members = members(n);
      if (!members.equals(n.view)) {
        n.view = members;
        if (!n.isWitness) {
          n.election.view(members, merge);
        }
        // Every member announces itself to a new view.
        running().forEach(p -> p.lastSent = null);
      }
    }
  }

  private Set<String> members(Node n) {
    return nodes.values().stream()
        .filter(p -> !p.crashed && p.partition == n.partition)
        .map(p -> p.name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Runs the nodes until nothing changes, acting on every decision, then checks the invariants. */
  void settle() {
    for (int round = 0; ; round++) {
      if (round > 50) {
        throw new AssertionError("no quiescence after 50 rounds: " + describe());
      }
      boolean changed = false;
      for (Node n : running()) {
        Decision d = n.isWitness ? Decision.keep(0) : n.election.decide();
        if (!d.isKeep()) {
          act(n, d);
          changed = true;
        }
        NodeStatus s = n.status();
        if (!s.equals(n.lastSent)) {
          n.lastSent = s;
          connectedTo(n).forEach(p -> send(n, p, s));
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }
    checkAtRest();
  }

  private void act(Node n, Decision d) {
    n.decisions.add(d);
    if (d.action() == Decision.Action.STEP_DOWN) {
      n.vip = false;
      n.election.vipReleased();
      return;
    }
    for (Node p : connectedTo(n)) {
      if (p.cut != n.cut && p.vip) {
        // The takeover guard probes the data path, which a cut of the cluster traffic leaves up.
        n.election.takeoverRefused("the VIP answers from a live node (" + p.name + ")");
        return;
      }
    }
    for (Node p : connectedTo(n)) {
      if (p.cut != n.cut) {
        continue;
      }
      assertThat(p.vip)
          .as("%s takes the VIP at epoch %d while connected %s holds it: %s",
              n.name, d.epoch(), p.name, describe())
          .isFalse();
      assertThat(d.epoch())
          .as("%s's new epoch vs connected %s's", n.name, p.name)
          .isGreaterThan(p.isWitness ? 0 : p.election.epoch());
    }
    if (n.failNextAcquire) {
      n.failNextAcquire = false;
      n.election.vipAcquired(false, "simulated driver error");
    } else {
      n.vip = true;
      n.election.vipAcquired(true, null);
    }
  }

  private void checkAtRest() {
    for (Node n : running()) {
      NodeStatus s = n.status();
      assertThat(s.vipHeld()).as("%s's VIP flag vs the host: %s", n.name, describe())
          .isEqualTo(n.vip);
      assertThat(n.vip)
          .as("%s holds the VIP iff MASTER at rest: %s", n.name, describe())
          .isEqualTo(s.state() == NodeState.MASTER);
      List<String> masters =
          connectedGroup(n).stream()
              .filter(p -> p.status().state() == NodeState.MASTER || p.vip)
              .map(p -> p.name)
              .toList();
      assertThat(masters).as("MASTERs or holders connected to %s: %s", n.name, describe())
          .hasSizeLessThanOrEqualTo(1);
    }
  }

  /**
   * After time has passed with everything connected and awake: exactly one MASTER holding the VIP
   * if any running node could be elected, none otherwise unless an unhealthy one kept it.
   */
  void assertConverged() {
    List<Node> up = running();
    boolean anyCandidate = up.stream().anyMatch(n -> !n.isWitness && n.healthy && n.inSync);
    List<String> masters =
        up.stream().filter(n -> n.status().state() == NodeState.MASTER).map(n -> n.name).toList();
    if (anyCandidate) {
      assertThat(masters).as("converged: %s", describe()).hasSize(1);
      assertThat(nodes.get(masters.get(0)).vip).isTrue();
    } else {
      assertThat(masters).as("converged: %s", describe()).hasSizeLessThanOrEqualTo(1);
    }
  }

  /** The one MASTER among running nodes, or null. */
  String master() {
    List<String> masters = masters();
    assertThat(masters).as("MASTERs: %s", describe()).hasSizeLessThanOrEqualTo(1);
    return masters.isEmpty() ? null : masters.get(0);
  }

  List<String> masters() {
    return running().stream()
        .filter(n -> n.status().state() == NodeState.MASTER)
        .map(n -> n.name)
        .toList();
  }

  List<Node> running() {
    return nodes.values().stream().filter(n -> !n.crashed && !n.hung).toList();
  }

  List<Node> all() {
    return List.copyOf(nodes.values());
  }

  private List<Node> connectedTo(Node n) {
    return running().stream().filter(p -> p != n && p.partition == n.partition).toList();
  }

  private List<Node> connectedGroup(Node n) {
    return running().stream().filter(p -> p.partition == n.partition).toList();
  }

  String describe() {
    return "t=" + now + " " + nodes.values().stream()
        .map(n -> n.name + (n.crashed ? "(crashed)" : n.hung ? "(hung)" : "")
            + (n.isWitness ? "[witness]" : n.election == null ? "" : "[" + n.election.state() + " e" + n.election.epoch()
                + " p" + n.partition + (n.vip ? " VIP" : "") + (n.healthy ? "" : " sick")
                + " " + n.election.reason() + "]"))
        .collect(Collectors.joining(", "));
  }

  /**
   * 1000 random schedules of crashes, hangs, partitions, cuts (statuses held back without a view
   * change, then delivered in a burst), health changes, view evictions and time on
   * a, b (priorities 100-102, so they often tie and the name tie-break gets exercised) and a third
   * node: c at priority 200, or with {@code withWitness} the witness w, which then makes every step
   * also check that there is at most one MASTER among all running nodes, whatever the partition.
   * Without a witness, schedules also fail VIP acquisitions. At the end everything is repaired and
   * the cluster must converge to one MASTER (without a witness: one that then stays put).
   */
  static void runRandomSchedules(boolean withWitness) {
    List<String> names = List.of("a", "b", withWitness ? "w" : "c");
    for (int seed = 0; seed < 1000; seed++) {
      Random rnd = new Random(seed);
      ClusterSim sim = new ClusterSim(rnd.nextBoolean())
          .node("a", 100 + rnd.nextInt(3))
          .node("b", 100 + rnd.nextInt(3));
      if (withWitness) {
        sim.witness("w");
      } else {
        sim.node("c", 200);
      }
      List<String> log = new ArrayList<>();
      try {
        sim.start(names.toArray(String[]::new));
        for (int step = 0; step < 40; step++) {
          log.add(sim.randomEvent(names, rnd, withWitness));
          if (withWitness) {
            assertThat(sim.masters()).as("MASTERs anywhere: %s", sim.describe()).hasSizeLessThanOrEqualTo(1);
          }
        }
        sim.repairAndConverge(names, log, withWitness);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + " after " + log + ": " + e.getMessage(), e);
      }
    }
  }

  /** One random step; a witness is never restarted unsynced, synced or made sick. */
  private String randomEvent(List<String> names, Random rnd, boolean withWitness) {
    String n = names.get(rnd.nextInt(names.size()));
    Node node = get(n);
    boolean balancer = !node.isWitness;
    int kind = rnd.nextInt(withWitness ? 12 : 13);
    if (withWitness && kind >= 6) {
      kind++; // with a witness, no VIP driver failures (kind 6)
    }
    switch (kind) {
      case 0 -> {
        if (!node.crashed) {
          crash(n, rnd.nextBoolean());
          return "crash " + n;
        }
        start(n);
        return "restart " + n;
      }
      case 1 -> {
        if (node.crashed && balancer) {
          startUnsynced(n);
          return "restart unsynced " + n;
        }
        if (node.crashed || !balancer) {
          return "nothing";
        }
        sync(n);
        return "sync " + n;
      }
      case 2 -> {
        if (node.crashed) {
          return "nothing";
        }
        if (node.hung) {
          wake(n);
          return "wake " + n;
        }
        hang(n);
        return "hang " + n;
      }
      case 3 -> {
        int mask = rnd.nextInt(8);
        List<Set<String>> groups = List.of(side(names, mask, 1), side(names, mask, 0));
        partition(groups);
        return "partition " + groups;
      }
      case 4 -> {
        heal();
        return "heal";
      }
      case 5 -> {
        if (!balancer) {
          return "nothing";
        }
        boolean healthy = rnd.nextInt(3) > 0;
        health(n, healthy, healthy ? "" : "no usable backend");
        return (healthy ? "healthy " : "sick ") + n;
      }
      case 6 -> {
        failNextAcquire(n);
        return "fail next acquire " + n;
      }
      case 7 -> {
        evictCrashed();
        return "evict crashed";
      }
      case 8 -> {
        Set<String> side = side(names, rnd.nextInt(8), 1);
        cut(side);
        return "cut " + side;
      }
      case 9 -> {
        uncut();
        return "uncut";
      }
      default -> {
        Duration d = Duration.ofMillis(50 + rnd.nextInt(2500));
        advance(d);
        return "advance " + d.toMillis();
      }
    }
  }

  private static Set<String> side(List<String> names, int mask, int bit) {
    return names.stream().filter(x -> (mask >> names.indexOf(x) & 1) == bit).collect(Collectors.toSet());
  }

  private void repairAndConverge(List<String> names, List<String> log, boolean withWitness) {
    log.add("repair");
    heal();
    for (String n : names) {
      Node node = get(n);
      node.failNextAcquire = false;
      if (node.crashed) {
        start(n);
      } else if (node.hung) {
        wake(n);
      }
      if (!node.isWitness) {
        health(n, true, "");
        sync(n);
      }
    }
    advance(TIMEOUT.multipliedBy(3));
    assertConverged();
    if (withWitness) {
      assertThat(master()).isNotNull();
      return;
    }
    String master = master();
    advance(TIMEOUT.multipliedBy(3));
    if (!master.equals(master())) {
      throw new AssertionError("MASTER moved without a cause: " + master + " -> " + master());
    }
  }
}
