package io.tandem.cluster;

import io.tandem.cluster.PeerRecord.Liveness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * One node's side of the VRRP-style election: pure logic on the latest status of every peer, no I/O
 * and no threads. Not thread-safe: its owner feeds it from one Vert.x context, calls {@link
 * #decide()} after every input, acts on every decision that is not KEEP and reports the result.
 *
 * <p>The algorithm, run by every node on the same statuses (see {@link Ballot}):
 *
 * <ol>
 *   <li>A peer counts while it is in the view, not suspected by FD_SOCK2 since its last status, and
 *       heard from within the heartbeat timeout. A peer in the view not heard from yet (joined, or
 *       every peer after this node woke from a pause) is waited for, up to the timeout, before this
 *       node takes over: it may be a MASTER.
 *   <li>INIT until the caller reports the node in sync; then BACKUP, or FAULT while its own checks
 *       fail or the VIP driver failed (until the caller reports it healthy again).
 *   <li>The MASTER is the current one while it is healthy (with preempt, unless a candidate has a
 *       strictly higher priority); else the healthy, in-sync, eligible member with the highest
 *       priority, ties to the lower name. An unhealthy MASTER with no one to replace it stays.
 *   <li>A MASTER that sees a more senior MASTER (higher epoch, then priority, then lower name)
 *       steps down at once; one that is no longer the elected one steps down; one whose timers were
 *       late by more than the timeout (paused) steps down and asks again.
 *   <li>A node takes over only when it is the elected one and no live peer still claims the MASTER
 *       role or the VIP: the old MASTER steps down and releases first, so a connected cluster never
 *       has two holders. Across a partition both sides may elect a MASTER; keeping them from both
 *       holding the VIP is the takeover guard's job (it probes the VIP and its holder), and the
 *       merge rule above ends it once they see each other again.
 *   <li>A new MASTER takes epoch = the highest epoch seen anywhere + 1.
 *   <li>With a witness configured ({@link Quorum}), a node takes over only while it has heard a
 *       majority of the voters within the quorum window (shorter than the timeout), and a MASTER
 *       that has not steps down. A witness's status counts for the majority only, never in the
 *       ballot. One that lost its majority and regains it takes over no sooner than one timeout
 *       later while another balancer is in its view: what it hears first after a heal is stale.
 * </ol>
 *
 * <p>A planned handoff ({@link #beginHandoff}): the MASTER checks the target (a live, healthy,
 * in-sync, eligible BACKUP), enters DRAINING (still holding the VIP) and tells every node
 * ({@link #handoffAnnounced}); from then on every ballot names the target ({@link Handoff}). Once the
 * holder has drained ({@link #handoffReady}) it either releases first and the target takes the VIP
 * as soon as it hears that, or (drivers where both may serve at once, {@code bind}) the target
 * takes it while the holder still serves, and the holder releases when it sees the target MASTER.
 * If the target fails or the deadline passes first, the handoff is forgotten: a holder that still
 * has the VIP is MASTER again, one that let go is elected again by the usual rule.
 */
public final class Election {
  private final String name;
  private final int priority;
  private final boolean preempt;
  private final long timeoutMillis;
  private final LongSupplier clock;
  private final Quorum quorum;
  // Sorted so that logs and reasons come out the same on every run.
  private final Map<String, PeerRecord> peers = new TreeMap<>();
  private Set<String> view; // null until the first view: then every peer heard from counts

  private NodeState state = NodeState.INIT;
  private long epoch;
  private long maxEpochSeen;
  private String reason = "starting";

  private boolean healthy = true;
  private boolean inSync;
  private boolean eligible = true;
  private String faultReason = "";
  private String vipError; // a failed acquire, until the caller reports the node healthy again

  private boolean vipHeld;
  private boolean releaseAsked;
  private boolean reannounce;
  private boolean woke;
  private long wokeAt = Long.MIN_VALUE;
  private long lastTick = Long.MIN_VALUE;
  private long refusedUntil = Long.MIN_VALUE;
  private boolean pendingTakeover;
  private long epochBeforeTakeover;
  private long maxEpochBeforeTakeover;
  private long maxEpochSeenFromPeers;
  private boolean hadMajority;
  private boolean majorityLost; // since it had one: the majority rule holds this node back
  private long majorityRegainedAt = Long.MIN_VALUE;

  private Handoff handoff; // a planned handoff this node takes part in or has heard of
  private boolean releaseFirst; // the holder's order: release, then the target takes over
  private boolean takingOverByHandoff;
  private String handoffOutcome; // why the last handoff this node held ended without success

  /**
   * @param name this node's name, unique in the cluster
   * @param priority 1-254, higher wins
   * @param preempt whether a higher priority takes over from a healthy MASTER
   * @param heartbeatTimeout a peer not heard from for longer is gone; timers late by more mean a
   *     pause
   * @param clockMillis a monotonic clock in milliseconds
   */
  public Election(
      String name,
      int priority,
      boolean preempt,
      Duration heartbeatTimeout,
      LongSupplier clockMillis) {
    this(name, priority, preempt, heartbeatTimeout, clockMillis, Quorum.NONE);
  }

  /** As above, MASTER only with a majority by {@code quorum} ({@link Quorum#NONE}: no rule). */
  public Election(
      String name,
      int priority,
      boolean preempt,
      Duration heartbeatTimeout,
      LongSupplier clockMillis,
      Quorum quorum) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: a non-blank name)");
    }
    if (priority < 1 || priority > 254) {
      throw new IllegalArgumentException("priority: " + priority + " (expected: 1-254)");
    }
    if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
      throw new IllegalArgumentException(
          "heartbeatTimeout: " + heartbeatTimeout + " (expected: > 0)");
    }
    this.name = name;
    this.priority = priority;
    this.preempt = preempt;
    this.timeoutMillis = heartbeatTimeout.toMillis();
    this.clock = Objects.requireNonNull(clockMillis, "clockMillis");
    this.quorum = Objects.requireNonNull(quorum, "quorum");
  }

  /** The latest status from a peer. */
  public void peerStatus(NodeStatus s) {
    if (s.name().equals(name)) {
      return;
    }
    long now = clock.getAsLong();
    maxEpochSeenFromPeers = Math.max(maxEpochSeenFromPeers, Math.max(s.epoch(), s.maxEpochSeen()));
    maxEpochSeen = Math.max(maxEpochSeen, maxEpochSeenFromPeers);
    PeerRecord p = peers.computeIfAbsent(s.name(), n -> new PeerRecord(now));
    // A peer that may have held the VIP (or answered ARP for it) while this node was MASTER has let
    // go: clients may still point at it, so the MASTER announces again.
    boolean mayHaveHeld = liveness(s.name(), p, now) != Liveness.ALIVE || p.claims();
    if (state == NodeState.MASTER && !Ballot.claims(s) && mayHaveHeld) {
      reannounce = true;
    }
    boolean heldBefore = p.claims();
    p.heard(s, now);
    if (heldBefore && !Ballot.claims(s)) {
      // The holder let go: a refused takeover may be tried again at once.
      refusedUntil = Long.MIN_VALUE;
    }
  }

  /** The current view by name: peers not in it are gone. A merge makes a MASTER re-announce. */
  public void view(Set<String> members, boolean merge) {
    long now = clock.getAsLong();
    Set<String> next = new HashSet<>(members);
    next.remove(name);
    // Forget those who left: one that comes back is waited for afresh, its old status is stale.
    peers.keySet().retainAll(next);
    for (String n : next) {
      peers.computeIfAbsent(n, k -> new PeerRecord(now));
    }
    view = next;
    if (merge && state == NodeState.MASTER) {
      reannounce = true;
    }
  }

  /** FD_SOCK2 saw the peer's socket close: gone now, unless a newer status from it arrives. */
  public void suspect(String peer) {
    PeerRecord p = peers.get(peer);
    // Right after this node woke from a pause its peers have usually excluded it and closed their
    // sockets: that suspicion says nothing about them. They are waited for (or time out) instead.
    if (pausedLately(clock.getAsLong())) {
      return;
    }
    if (p != null) {
      p.suspected = true;
      refusedUntil = Long.MIN_VALUE;
    }
  }

  /** The node's own checks. A healthy report also ends a VIP driver fault: the node may retry. */
  public void local(boolean healthy, boolean inSync, boolean eligible, String faultReason) {
    this.healthy = healthy;
    this.inSync = inSync;
    this.eligible = eligible;
    this.faultReason = faultReason == null ? "" : faultReason;
    if (healthy) {
      vipError = null;
    }
  }

  /** Time passes; called on every heartbeat. Timers late by more than the timeout mean a pause. */
  public void tick() {
    long now = clock.getAsLong();
    if (lastTick != Long.MIN_VALUE && now - lastTick > timeoutMillis) {
      woke = true;
      wokeAt = now;
      if (handoff != null && handoff.to().equals(name)) {
        handoff = null; // see handoffAnnounced: its holder has given it up by now
      }
    }
    lastTick = now;
  }

  /**
   * Whether what this node hears now may be as old as a pause it was in: its timers are late by
   * more than the timeout (the messages queued during a pause are handled before the late tick that
   * notices it), or it noticed a pause less than a timeout ago.
   */
  private boolean pausedLately(long now) {
    return (lastTick != Long.MIN_VALUE && now - lastTick > timeoutMillis)
        || (wokeAt != Long.MIN_VALUE && now - wokeAt < timeoutMillis);
  }

  /**
   * Whether the heartbeat ticked within the timeout. Not so after a pause until the first tick
   * (which steps a MASTER down): a decision made meanwhile (a view change or a suspicion handled
   * first) must not renew the VIP's lease, since its peer may hold the VIP by now.
   */
  public boolean ticking() {
    return lastTick != Long.MIN_VALUE && clock.getAsLong() - lastTick <= timeoutMillis;
  }

  /** The result of acting on BECOME_MASTER. A failure puts the node in FAULT. */
  public void vipAcquired(boolean ok, String error) {
    pendingTakeover = false;
    takingOverByHandoff = false;
    if (ok) {
      vipHeld = true;
      // Held again, maybe after a step-down raced the acquire: decide() asks for a new release.
      releaseAsked = false;
    } else {
      vipError = error == null || error.isBlank() ? "VIP acquire failed" : error;
    }
  }

  /**
   * The takeover guard found the VIP held by a live node: this node stays BACKUP (no fault, no
   * epoch spent: a burnt epoch would make it look senior at the next merge) and does not try again
   * for one heartbeat timeout (a fifth of it with a witness), unless the statuses change first (a
   * status from the holder that it let go, its suspicion, or a new view).
   */
  public void takeoverRefused(String why) {
    pendingTakeover = false;
    takingOverByHandoff = false;
    if (state != NodeState.MASTER) {
      return;
    }
    epoch = epochBeforeTakeover;
    maxEpochSeen = Math.max(maxEpochBeforeTakeover, maxEpochSeenFromPeers);
    state = selfHealthy() ? NodeState.BACKUP : NodeState.FAULT;
    reason = why;
    // With a majority rule, a holder this node cannot hear is on the minority side and lets go
    // about when this node stopped hearing it: look again soon, or the VIP stays unheld for up to a
    // whole timeout (the holder's goodbye cannot reach this side of the cut).
    refusedUntil = clock.getAsLong() + (quorum.required() ? timeoutMillis / 5 : timeoutMillis);
  }

  /**
   * While a takeover is pending (the guard runs): whether a live peer claims the VIP too and comes
   * first, so that this node must give way. A peer that holds it as MASTER always comes first; two
   * nodes taking over at once (each decided before it heard of the other: a node that woke from a
   * pause, say) settle it by priority, then the lower name. The caller then reports {@link
   * #takeoverRefused}.
   */
  public boolean mustYield() {
    if (!pendingTakeover) {
      return false;
    }
    long now = clock.getAsLong();
    for (Map.Entry<String, PeerRecord> e : peers.entrySet()) {
      PeerRecord p = e.getValue();
      if (liveness(e.getKey(), p, now) != Liveness.ALIVE || !p.claims()) {
        continue;
      }
      NodeStatus s = p.status;
      if (s.state() == NodeState.FAULT && !s.healthy()) {
        // A stuck node that cannot even let go of the VIP does not win: the guard's probe decides.
        continue;
      }
      if (takingOverByHandoff && handoff != null && e.getKey().equals(handoff.from())
          && s.state() != NodeState.MASTER) {
        continue; // the holder of a ready handoff still serves while this node takes over: by design
      }
      if (s.state() == NodeState.MASTER || s.priority() > priority
          || (s.priority() == priority && s.name().compareTo(name) < 0)) {
        return true;
      }
    }
    return false;
  }

  /** The result of acting on STEP_DOWN: the VIP is not held. */
  public void vipReleased() {
    vipHeld = false;
    releaseAsked = false;
  }

  /** What the node must do now; the state has moved when this returns. */
  public Decision decide() {
    long now = clock.getAsLong();
    if (woke) {
      woke = false;
      if (state == NodeState.MASTER) {
        // Peers may have elected another MASTER while this node was frozen: give up first, then
        // ask again once fresh statuses (or the timeout) say who is there.
        return stepDown("paused: timers were late by more than the heartbeat timeout");
      }
    }
    if ((state == NodeState.MASTER || state == NodeState.DRAINING) && vipError != null) {
      handoff = null;
      return stepDown("VIP driver: " + vipError);
    }
    if (state == NodeState.DRAINING) {
      return draining(now);
    }
    if (state == NodeState.INIT) {
      if (!inSync) {
        return Decision.keep(epoch);
      }
      state = NodeState.BACKUP;
    }
    if (state != NodeState.MASTER) {
      state = selfHealthy() ? NodeState.BACKUP : NodeState.FAULT;
      reason = selfHealthy() ? "backup" : faultText();
    }

    List<NodeStatus> live = new ArrayList<>();
    live.add(selfStatus());
    boolean waiting = false;
    int balancerVotes = 1; // this node's own
    int witnessVotes = 0;
    for (Map.Entry<String, PeerRecord> e : peers.entrySet()) {
      PeerRecord p = e.getValue();
      Liveness l = liveness(e.getKey(), p, now);
      boolean votes = l == Liveness.ALIVE && now - p.receivedAt <= quorum.windowMillis();
      if (l == Liveness.ALIVE && p.status.witness()) {
        witnessVotes += votes ? 1 : 0; // a witness votes, and takes no part in the ballot
      } else if (l == Liveness.ALIVE) {
        live.add(p.status);
        balancerVotes += votes ? 1 : 0;
      }
      waiting |= l == Liveness.UNKNOWN;
    }
    String noMajority = quorum.shortfall(balancerVotes, witnessVotes);
    // Only a majority lost and regained counts: what a starting node hears is current.
    if (noMajority == null) {
      if (majorityLost) {
        majorityLost = false;
        majorityRegainedAt = now;
      }
      hadMajority = true;
    } else if (hadMajority) {
      majorityLost = true;
    }
    boolean holding = holdingAfterRegain(now);
    Optional<NodeStatus> elected = handoffTarget(live, now).or(() -> Ballot.master(live, preempt));
    boolean me = elected.isPresent() && elected.get().name().equals(name);

    if (state == NodeState.MASTER) {
      NodeStatus self = live.get(0);
      for (NodeStatus s : live) {
        if (s.state() == NodeState.MASTER && Ballot.BY_SENIORITY.compare(s, self) < 0) {
          return stepDown(
              "two masters: " + s.name() + " has epoch " + s.epoch() + " (mine " + epoch + ")");
        }
      }
      if (noMajority != null) {
        return stepDown(noMajority);
      }
      if (!me) {
        return stepDown(
            selfHealthy()
                ? elected.get().name() + " is preferred (priority " + elected.get().priority() + ")"
                : faultText());
      }
      reason = selfHealthy() ? "elected" : "keeping the VIP, no healthy peer: " + faultText();
      return Decision.keep(epoch);
    }
    if (vipHeld && !releaseAsked) {
      return stepDown("holding the VIP while " + state);
    }
    // A peer that stepped down for a fault but still reports the VIP (its data path is stuck, so
    // even closing the VIP socket hangs) does not block: the takeover guard's probe decides
    // whether it still serves.
    // The target of a ready handoff does not wait for the holder, nor for a guard that would find
    // it alive: it lets the target in (take-first) or has released already (release-first).
    boolean byHandoff = handoff != null && handoff.to().equals(name) && (handoff.ready()
        || live.stream().anyMatch(s -> s.name().equals(handoff.from()) && !Ballot.claims(s)));
    boolean claimed = live.stream().anyMatch(s -> !s.name().equals(name) && Ballot.claims(s)
        && !(s.state() == NodeState.FAULT && !s.healthy())
        && !(byHandoff && s.name().equals(handoff.from()) && s.state() != NodeState.MASTER));
    if (noMajority != null) {
      if (state == NodeState.BACKUP) {
        reason = noMajority;
      }
      return Decision.keep(epoch);
    }
    if (holding && !byHandoff) {
      if (state == NodeState.BACKUP) {
        reason = "majority regained: waiting for current statuses";
      }
      return Decision.keep(epoch);
    }
    if (me && (!waiting || byHandoff) && !claimed && (now >= refusedUntil || byHandoff)) {
      takingOverByHandoff = byHandoff;
      epochBeforeTakeover = epoch;
      maxEpochBeforeTakeover = maxEpochSeen;
      pendingTakeover = true;
      epoch = maxEpochSeen + 1;
      maxEpochSeen = epoch;
      state = NodeState.MASTER;
      reason = "elected";
      // Taking the VIP announces it; a re-announce is only for a MASTER that keeps its role.
      reannounce = false;
      return Decision.becomeMaster(epoch, "elected with priority " + priority);
    }
    return Decision.keep(epoch);
  }

  /**
   * The holder of a handoff in progress: keeps the VIP until the target serves it (or, releasing
   * first, until it has drained); gives up the handoff if the target stops being able to take it.
   */
  private Decision draining(long now) {
    Handoff h = handoff;
    NodeStatus target = liveStatus(h.to(), now);
    if (target != null && target.state() == NodeState.MASTER && target.vipHeld()) {
      handoff = null;
      return stepDown("handed over to " + h.to());
    }
    String failed = target == null ? h.to() + " is gone"
        : target.state() != NodeState.MASTER && !Ballot.candidate(target) ? h.to() + " can no longer take over ("
            + (!target.healthy() ? "unhealthy" : !target.eligible() ? "in maintenance" : target.state()) + ")"
        : now > h.deadline() ? h.to() + " did not take the VIP in time" : null;
    if (failed != null) {
      handoff = null;
      handoffOutcome = "handoff to " + h.to() + " failed: " + failed;
      state = NodeState.MASTER;
      reason = handoffOutcome;
      // Clients may have learnt of the target meanwhile: tell them again who serves.
      reannounce = true;
      return Decision.keep(epoch);
    }
    if (h.ready() && releaseFirst && vipHeld && !releaseAsked) {
      return stepDown("handing over to " + h.to());
    }
    reason = (h.ready() ? "handing over to " : "draining for ") + h.to();
    return Decision.keep(epoch);
  }

  /** The target of a handoff this node knows of, while it can still take the VIP. */
  private Optional<NodeStatus> handoffTarget(List<NodeStatus> live, long now) {
    Handoff h = handoff;
    if (h == null) {
      return Optional.empty();
    }
    Optional<NodeStatus> target = live.stream().filter(s -> s.name().equals(h.to())).findFirst();
    boolean done = target.isPresent() && target.get().state() == NodeState.MASTER && target.get().vipHeld();
    boolean senior = live.stream().anyMatch(s -> s.state() == NodeState.MASTER && !s.name().equals(h.to()));
    if (done || senior || now > h.deadline() || target.isEmpty()
        || !(Ballot.candidate(target.get()) || target.get().state() == NodeState.MASTER)) {
      // Done, overtaken by another MASTER, too late, or the target can no longer take it: the
      // usual rule decides again (the old holder, if eligible, is elected back).
      handoff = null;
      return Optional.empty();
    }
    return target;
  }

  /**
   * Whether this node regained a majority less than one timeout ago while another balancer is in
   * its view: it takes over only once that has passed. What it hears right after a heal cannot be
   * trusted to be current: TCP delivers what queued up during the cut in one burst (the other
   * balancer's statuses from before it took over, the witness's votes), and the first voter heard
   * (often the witness) may come before the balancer's news. The other side may have elected a
   * MASTER meanwhile, which this node must not duplicate (it would win the merge on priority). Fresh
   * statuses arrive within a heartbeat; a burst's votes stop counting at the quorum window, shorter
   * than the timeout; and a balancer that died during the cut stops counting at the timeout.
   */
  private boolean holdingAfterRegain(long now) {
    if (majorityRegainedAt == Long.MIN_VALUE || now - majorityRegainedAt >= timeoutMillis) {
      return false;
    }
    for (Map.Entry<String, PeerRecord> e : peers.entrySet()) {
      PeerRecord p = e.getValue();
      boolean inView = view == null || view.contains(e.getKey());
      if (inView && !p.suspected && (p.status == null || !p.status.witness())) {
        return true;
      }
    }
    return false;
  }

  private NodeStatus liveStatus(String peer, long now) {
    PeerRecord p = peers.get(peer);
    return p != null && liveness(peer, p, now) == Liveness.ALIVE ? p.status : null;
  }

  /**
   * The MASTER is asked to hand the VIP to {@code target} (null: the best other candidate). Returns
   * why not, or null when it has entered DRAINING (still holding the VIP); the caller then tells
   * every node ({@link #handoffAnnounced} there), drains, and calls {@link #handoffReady}.
   *
   * @param releaseFirst the holder releases before the target takes the VIP (else the target takes
   *     it while the holder still serves, and the holder releases when it sees the target MASTER)
   * @param timeoutMillis how long the whole handoff may take before it counts as failed
   */
  public String beginHandoff(String target, boolean releaseFirst, long timeoutMillis) {
    long now = clock.getAsLong();
    if (state == NodeState.DRAINING) {
      return name + " is already handing over to " + handoff.to();
    }
    if (state != NodeState.MASTER || !vipHeld) {
      return name + " is " + state + (state == NodeState.MASTER ? " without the VIP yet" : ", not MASTER")
          + ": only the MASTER hands over";
    }
    NodeStatus t;
    if (target == null) {
      t = peers.entrySet().stream()
          .filter(e -> liveness(e.getKey(), e.getValue(), now) == Liveness.ALIVE)
          .map(e -> e.getValue().status).filter(Ballot::candidate).min(Ballot.BY_PRIORITY).orElse(null);
      if (t == null) {
        return peers.isEmpty() ? "no other member to hand over to"
            : "no other member is healthy, in sync, eligible and reachable: " + peerSummary(now);
      }
    } else {
      if (target.equals(name)) {
        return target + " is this node, which already is MASTER";
      }
      PeerRecord p = peers.get(target);
      if (p == null) {
        return "unknown node '" + target + "' (members: " + memberList() + ")";
      }
      Liveness l = liveness(target, p, now);
      if (l != Liveness.ALIVE) {
        return target + " is not reachable (" + (l == Liveness.UNKNOWN ? "not heard from yet" : "gone") + ")";
      }
      t = p.status;
      if (!t.healthy()) {
        return target + " is unhealthy: " + t.reason();
      }
      if (!t.inSync()) {
        return target + " does not hold the whole sticky table yet (not in sync)";
      }
      if (!t.eligible()) {
        return target + " is in maintenance (not eligible)";
      }
      if (t.state() != NodeState.BACKUP) {
        return target + " is " + t.state() + ", not BACKUP";
      }
    }
    if (preempt && eligible) {
      // The usual rule would take the VIP straight back for a higher priority.
      List<NodeStatus> live = new ArrayList<>();
      live.add(selfStatus());
      peers.forEach((n, p) -> {
        if (liveness(n, p, now) == Liveness.ALIVE && Ballot.candidate(p.status)) {
          live.add(p.status);
        }
      });
      NodeStatus best = live.stream().filter(Ballot::candidate).min(Ballot.BY_PRIORITY).orElse(t);
      if (best.priority() > t.priority()) {
        return "preempt is on and " + best.name() + " (priority " + best.priority() + ") would take the VIP back from "
            + t.name() + " (priority " + t.priority() + "): put " + best.name() + " in maintenance instead";
      }
    }
    state = NodeState.DRAINING;
    this.releaseFirst = releaseFirst;
    handoff = new Handoff(name, t.name(), false, now + timeoutMillis);
    handoffOutcome = null;
    reason = "draining for " + t.name();
    return null;
  }

  /** The holder has drained: the target may take the VIP now (the caller tells every node). */
  public void handoffReady() {
    if (handoff != null && state == NodeState.DRAINING) {
      handoff = handoff.readyNow();
    }
  }

  /** The holder gives up the handoff (stopping, say): MASTER again while it holds the VIP. */
  public void abortHandoff(String why) {
    if (state == NodeState.DRAINING) {
      handoffOutcome = why;
      handoff = null;
      state = vipHeld ? NodeState.MASTER : selfHealthy() ? NodeState.BACKUP : NodeState.FAULT;
      reason = why;
    }
  }

  /**
   * A peer began ({@code ready} false) or completed the drain of ({@code ready} true) a handoff to
   * {@code to}, or gave it up ({@code to} null); it lasts at most {@code timeoutMillis}.
   */
  public void handoffAnnounced(String from, String to, boolean ready, long timeoutMillis) {
    if (from.equals(name)) {
      return;
    }
    if (to == null) {
      if (handoff != null && handoff.from().equals(from)) {
        handoff = null;
      }
      return;
    }
    long now = clock.getAsLong();
    if (to.equals(name) && pausedLately(now)) {
      // Announced before this node's pause, as far as it can tell: the holder counted this node
      // gone after one timeout and is MASTER again, and has told the operator the handoff failed.
      // Taking the VIP now would move it all the same. A handoff begun after the pause fails at
      // its deadline instead, a rare and clearly reported cost.
      handoff = null;
      return;
    }
    long deadline = handoff != null && handoff.from().equals(from) && handoff.to().equals(to) ? handoff.deadline()
        : now + timeoutMillis;
    handoff = new Handoff(from, to, ready, deadline);
    if (ready && to.equals(name)) {
      refusedUntil = Long.MIN_VALUE;
    }
  }

  /** Whether the takeover now decided comes from a ready handoff: the holder let go, no guard needed. */
  public boolean takingOverByHandoff() {
    return takingOverByHandoff && state == NodeState.MASTER;
  }

  /** The handoff this node holds or knows of, if any. */
  Optional<Handoff> handoff() {
    return Optional.ofNullable(handoff);
  }

  /** Why this node's last handoff failed (null when it did not, or none happened). */
  public String handoffFailure() {
    return handoffOutcome;
  }

  private String memberList() {
    List<String> names = new ArrayList<>(peers.keySet());
    names.add(0, name);
    return String.join(", ", names);
  }

  private String peerSummary(long now) {
    List<String> out = new ArrayList<>();
    peers.forEach((n, p) -> {
      if (liveness(n, p, now) != Liveness.ALIVE) {
        out.add(n + " not reachable");
      } else {
        NodeStatus s = p.status;
        out.add(n + (!s.healthy() ? " unhealthy" : !s.inSync() ? " not in sync" : !s.eligible() ? " in maintenance"
            : " " + s.state()));
      }
    });
    return String.join(", ", out);
  }

  private Decision stepDown(String why) {
    state = selfHealthy() ? NodeState.BACKUP : NodeState.FAULT;
    reason = why;
    releaseAsked = true;
    reannounce = false;
    return Decision.stepDown(epoch, why);
  }

  private Liveness liveness(String peer, PeerRecord p, long now) {
    if (view != null && !view.contains(peer)) {
      return Liveness.GONE;
    }
    return p.liveness(now, timeoutMillis, wokeAt);
  }

  private boolean selfHealthy() {
    return healthy && vipError == null;
  }

  private String faultText() {
    if (vipError != null) {
      return "VIP driver: " + vipError;
    }
    return faultReason.isEmpty() ? "unhealthy" : faultReason;
  }

  /** This node as the ballot sees it: its true state, even while a takeover is pending. */
  private NodeStatus selfStatus() {
    return new NodeStatus(name, priority, state, epoch, maxEpochSeen, selfHealthy(), inSync, eligible, vipHeld,
        0, "", reason, 0, 0);
  }

  /** True while this node is MASTER and must announce the VIP again (gratuitous ARP, rebind). */
  public boolean mustReannounce() {
    return reannounce && state == NodeState.MASTER;
  }

  /** The caller has re-announced the VIP. */
  public void reannounced() {
    reannounce = false;
  }

  /** The status to broadcast, from the election's fields and the given rest. */
  public NodeStatus status(int usableBackends, String probe, long pid, long sentAtMillis) {
    if (pendingTakeover) {
      // Not MASTER until the VIP is taken: a peer that read MASTER with the new epoch now would
      // step down for a takeover the guard may yet refuse. But a claim on the VIP all the same, so
      // that no peer starts a takeover of its own meanwhile (two nodes that decide at once settle
      // it by mustYield()).
      return new NodeStatus(
          name, priority, NodeState.BACKUP, epochBeforeTakeover, maxEpochBeforeTakeover, selfHealthy(), inSync,
          eligible, true, usableBackends, probe, "taking over", pid, sentAtMillis);
    }
    return new NodeStatus(
        name, priority, state, epoch, maxEpochSeen, selfHealthy(), inSync, eligible, vipHeld,
        usableBackends, probe, reason, pid, sentAtMillis);
  }

  public String name() {
    return name;
  }

  public NodeState state() {
    return state;
  }

  /** The epoch of the current or last mastership (0 = never MASTER). */
  public long epoch() {
    return epoch;
  }

  public long maxEpochSeen() {
    return maxEpochSeen;
  }

  /** Why the node is in its state, for the status and the log. */
  public String reason() {
    return reason;
  }
}
