package io.tandem.cluster;

import io.tandem.config.Durations;
import io.tandem.vip.FloatingIp;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The operator's role requests (failover, maintenance on and off) and the planned handoff they
 * drive. The node asked sends the request to the node that must act (the MASTER for a failover, the
 * named node for maintenance); that node broadcasts every answer ({@link RoleAck}), so the asker
 * learns the outcome and every node's election learns of the handoff. The asker completes once
 * someone other than the old holder serves the VIP, and fails on a refusal, an abort or its timeout.
 * The holder's side: DRAINING, the data path drains, then the target takes the VIP in the
 * driver's {@link HandoffOrder}. Everything here runs on the node's cluster context.
 */
final class RoleRequests {
  private static final System.Logger LOG = System.getLogger(RoleRequests.class.getName());

  /** The node these requests run in: its context, its eligibility, and the steps of its election loop. */
  interface Host {
    /** Runs {@code task} on the cluster context, after what is already queued there. */
    void onContext(Runnable task);

    boolean inSync();

    boolean eligible();

    /** As the operator's API does: the change is judged on a heartbeat at once. */
    void setEligible(boolean value);

    /** Without a heartbeat: the caller judges the node itself right after. */
    void markIneligible();

    /** Acts on the election's decision. */
    void act();

    /** Records a change of role, if there was one. */
    void noteState(String reason);

    void broadcastStatus();
  }

  private final String name;
  private final long pid;
  private final Duration heartbeatTimeout;
  private final Election election;
  private final ClusterTransport transport;
  private final Supplier<List<String>> members;
  private final Map<String, NodeStatus> peers;
  private final LocalHealth health;
  private final FloatingIp vip;
  private final HandoffOrder order;
  private final DataPathDrain drain;
  private final MaintenanceFile maintenanceFile;
  private final Vertx vertx;
  private final LongSupplier nanos;
  private final Host host;

  /** Requests this node's admin API was asked, by id, until answered. */
  private final Map<String, Pending> pending = new HashMap<>();
  /** The request of the handoff this node holds ("" for one it began itself), while it holds one. */
  private String handoffRequest;
  private long handoffTimeoutMillis;
  private boolean draining;
  /** Set between the release of a RELEASE_FIRST handoff and the READY sent after it. */
  private boolean readyAfterRelease;
  private long requestCounter;

  /**
   * @param peers the latest status of each peer in the view (read only)
   * @param maintenanceFile where maintenance is kept across restarts; null: not kept
   * @param vertx timers and the worker that writes the maintenance file
   * @param nanos a monotonic clock in nanoseconds (request durations, drain deadlines)
   */
  RoleRequests(String name, long pid, Duration heartbeatTimeout, Election election, ClusterTransport transport,
      Supplier<List<String>> members, Map<String, NodeStatus> peers, LocalHealth health, FloatingIp vip,
      HandoffOrder order, DataPathDrain drain, MaintenanceFile maintenanceFile, Vertx vertx, LongSupplier nanos,
      Host host) {
    this.name = name;
    this.pid = pid;
    this.heartbeatTimeout = heartbeatTimeout;
    this.election = election;
    this.transport = transport;
    this.members = members;
    this.peers = peers;
    this.health = health;
    this.vip = vip;
    this.order = order;
    this.drain = drain;
    this.maintenanceFile = maintenanceFile;
    this.vertx = vertx;
    this.nanos = nanos;
    this.host = host;
  }

  /**
   * Asks for a role change on any thread; completes when done, fails with {@link RoleRefused} when
   * refused, failed or not done within {@code timeout}.
   */
  Future<RoleResult> ask(RoleRequest.Kind kind, String node, Duration timeout) {
    Promise<RoleResult> result = Promise.promise();
    host.onContext(() -> {
      RoleRequest q = new RoleRequest(name + "-" + pid + "-" + (++requestCounter), name, kind, node,
          timeout.toMillis());
      Pending w = new Pending(q, result, nanos.getAsLong());
      String actor = actorOf(q);
      if (actor == null || actor.startsWith("!")) {
        result.fail(new RoleRefused(actor == null ? "no MASTER in the view to hand over from" : actor.substring(1),
            false));
        return;
      }
      pending.put(q.id(), w);
      // The answer may take the whole timeout; the asker waits a little longer for the last status.
      long wait = timeout.toMillis() + heartbeatTimeout.toMillis();
      w.timer = vertx.setTimer(wait, t -> host.onContext(() -> timedOut(w)));
      if (actor.equals(name)) {
        handleRequest(q);
      } else {
        transport.send(actor, WireCodec.encodeRoleRequest(q));
      }
    });
    return result.future();
  }

  /** Who must act on the request, or "!reason" when no one can. */
  private String actorOf(RoleRequest q) {
    if (q.kind() != RoleRequest.Kind.FAILOVER) {
      String node = q.node() == null ? name : q.node();
      if (!node.equals(name) && !members.get().contains(node)) {
        return "!unknown node '" + node + "' (members: " + String.join(", ", members.get()) + ")";
      }
      return node;
    }
    NodeState own = election.state();
    if (own == NodeState.MASTER || own == NodeState.DRAINING) {
      return name;
    }
    return peers.values().stream()
        .filter(s -> s.state() == NodeState.MASTER || s.state() == NodeState.DRAINING)
        .map(NodeStatus::name).filter(n -> members.get().contains(n)).findFirst().orElse(null);
  }

  /** The acting node's side of a request (from a peer, or from this node's own admin API). */
  void handleRequest(RoleRequest q) {
    switch (q.kind()) {
      case FAILOVER -> beginHandoff(q.id(), q.node(), q.timeoutMillis(), null);
      case MAINTENANCE_OFF -> persistMaintenance(false).onComplete(ar -> host.onContext(() -> {
        if (ar.failed()) {
          ack(new RoleAck(q.id(), name, RoleAck.Outcome.REFUSED, null, 0, ar.cause().getMessage()));
          return;
        }
        host.setEligible(true);
        ack(new RoleAck(q.id(), name, RoleAck.Outcome.DONE, null, 0, null));
      }));
      case MAINTENANCE_ON -> {
        NodeState own = election.state();
        if (own == NodeState.DRAINING) {
          ack(new RoleAck(q.id(), name, RoleAck.Outcome.REFUSED, null, 0, name + " is handing over already"));
        } else if (own == NodeState.MASTER) {
          beginHandoff(q.id(), null, q.timeoutMillis(), "maintenance");
        } else {
          persistMaintenance(true).onComplete(ar -> host.onContext(() -> {
            if (ar.failed()) {
              ack(new RoleAck(q.id(), name, RoleAck.Outcome.REFUSED, null, 0, ar.cause().getMessage()));
              return;
            }
            host.setEligible(false);
            ack(new RoleAck(q.id(), name, RoleAck.Outcome.DONE, null, 0, null));
          }));
        }
      }
    }
  }

  /** Persists maintenance on a worker; fails with a message naming the file. */
  private Future<Void> persistMaintenance(boolean on) {
    MaintenanceFile f = maintenanceFile;
    if (f == null) {
      return Future.succeededFuture();
    }
    return vertx.<Void>executeBlocking(() -> {
      f.write(on);
      return null;
    }, false).recover(e -> Future.failedFuture(new RoleRefused(name + ": cannot "
        + (on ? "write " : "remove ") + f.path() + " (node.state-dir): " + e.getMessage(), false)));
  }

  /**
   * The MASTER begins a handoff: checks the target, enters DRAINING, tells every node, drains, then
   * lets the target take the VIP ({@link HandoffOrder}). {@code maintenance}: turned on once accepted.
   */
  private void beginHandoff(String requestId, String target, long timeoutMillis, String maintenance) {
    long total = timeoutMillis + heartbeatTimeout.toMillis();
    String problem = health.problem();
    if (maintenance != null) {
      // Judged as the node will be: not eligible (preempt cannot take the VIP back to it).
      election.local(problem == null, host.inSync(), false, problem);
    }
    String refusal = election.beginHandoff(target, order == HandoffOrder.RELEASE_FIRST, total);
    if (refusal != null) {
      election.local(problem == null, host.inSync(), host.eligible(), problem);
      ack(new RoleAck(requestId, name, RoleAck.Outcome.REFUSED, null, 0,
          maintenance == null ? refusal : name + " is MASTER and cannot hand over: " + refusal));
      return;
    }
    String to = election.handoff().orElseThrow().to();
    Runnable go = () -> {
      handoffRequest = requestId;
      handoffTimeoutMillis = total;
      LOG.log(System.Logger.Level.INFO, "{0}: epoch {1}: handing the VIP over to {2} ({3})", name,
          Long.toString(election.epoch()), to, order);
      ack(new RoleAck(requestId, name, RoleAck.Outcome.ACCEPTED, to, total, null));
      host.noteState("draining for " + to);
      host.broadcastStatus();
      draining = true;
      drain.begin();
      if (order == HandoffOrder.TAKE_FIRST) {
        // The target binds beside this node at once; this node stops accepting when it sees it serve.
        handoffReady();
      } else {
        // New connections wait (their SYN is dropped, the client sends it again a second later,
        // to the new holder) while those accepted finish: none is cut by the release. The count
        // starts once no new connection can come in.
        long deadline = nanos.getAsLong() + timeoutMillis * 1_000_000;
        vip.quiesce(true).onComplete(x -> host.onContext(() -> awaitDrained(deadline)));
      }
    };
    if (maintenance == null) {
      go.run();
      return;
    }
    persistMaintenance(true).onComplete(ar -> host.onContext(() -> {
      if (ar.failed()) {
        election.abortHandoff("maintenance not saved");
        host.noteState("maintenance not saved");
        ack(new RoleAck(requestId, name, RoleAck.Outcome.REFUSED, null, 0, ar.cause().getMessage()));
        return;
      }
      host.markIneligible();
      election.local(health.problem() == null, host.inSync(), false, health.problem());
      go.run();
    }));
  }

  /** RELEASE_FIRST: waits (polling) until no request is in flight on the VIP, or the timeout. */
  private void awaitDrained(long deadlineNanos) {
    if (election.state() != NodeState.DRAINING) {
      return;
    }
    if (drain.inFlight() == 0 || nanos.getAsLong() >= deadlineNanos) {
      handoffReady();
      return;
    }
    vertx.setTimer(5, t -> host.onContext(() -> awaitDrained(deadlineNanos)));
  }

  private void handoffReady() {
    if (election.state() != NodeState.DRAINING) {
      return;
    }
    election.handoffReady();
    if (order == HandoffOrder.TAKE_FIRST) {
      sendReady();
    } else {
      // Released first: the target hears READY after this node's status without the VIP.
      readyAfterRelease = true;
    }
    host.act();
  }

  private void sendReady() {
    election.handoff().ifPresent(h -> ack(new RoleAck(handoffRequest == null ? "" : handoffRequest, name,
        RoleAck.Outcome.READY, h.to(), handoffTimeoutMillis, null)));
  }

  /**
   * This node released the VIP (its status without it is out): a RELEASE_FIRST handoff now tells the
   * target to take it, and a handoff that is over ends here.
   */
  void released() {
    if (readyAfterRelease) {
      readyAfterRelease = false;
      sendReady();
    }
    if (draining && election.state() != NodeState.DRAINING) {
      // Handed over (or stepped down for another reason): the VIP's connections are gone.
      handoffEnded(null);
    }
  }

  /** The handoff this node held is over: back to normal service; a failure is told to every node. */
  void handoffEnded(String failure) {
    if (draining) {
      draining = false;
      drain.end();
      vip.quiesce(false);
    }
    readyAfterRelease = false;
    String id = handoffRequest;
    handoffRequest = null;
    if (failure != null) {
      LOG.log(System.Logger.Level.WARNING, "{0}: epoch {1}: {2}; MASTER again", name, Long.toString(election.epoch()),
          failure);
      ack(new RoleAck(id == null ? "" : id, name, RoleAck.Outcome.ABORTED, null, 0, failure));
      host.broadcastStatus();
    }
  }

  /** Broadcasts an answer and handles it here too (own messages are not delivered back). */
  private void ack(RoleAck a) {
    transport.broadcast(WireCodec.encodeRoleAck(a));
    onAck(a);
  }

  /** An answer from the acting node (a peer, or this node). */
  void onAck(RoleAck a) {
    switch (a.outcome()) {
      case ACCEPTED, READY -> election.handoffAnnounced(a.sender(), a.target(), a.outcome() == RoleAck.Outcome.READY,
          a.timeoutMillis());
      case ABORTED -> election.handoffAnnounced(a.sender(), null, false, 0);
      default -> {
      }
    }
    Pending w = pending.get(a.requestId());
    if (w != null) {
      switch (a.outcome()) {
        case REFUSED, ABORTED -> finish(w, null, new RoleRefused(a.reason(), false));
        case DONE -> finish(w, new RoleResult(a.sender(), null, vipHolder(), holderEpoch(), 0,
            w.request.kind() == RoleRequest.Kind.MAINTENANCE_ON), null);
        case ACCEPTED, READY -> {
          w.from = a.sender();
          w.to = a.target();
        }
      }
    }
    if (!a.sender().equals(name)) {
      host.act();
    }
    checkPending();
  }

  /** Completes every waiting request whose handoff is done: someone else than the old holder serves. */
  void checkPending() {
    if (pending.isEmpty()) {
      return;
    }
    String holder = vipHolder();
    for (Pending w : List.copyOf(pending.values())) {
      if (w.from != null && holder != null && !holder.equals(w.from)) {
        long took = (nanos.getAsLong() - w.startedNanos) / 1_000_000;
        Boolean maint = w.request.kind() == RoleRequest.Kind.FAILOVER ? null
            : w.request.kind() == RoleRequest.Kind.MAINTENANCE_ON;
        finish(w, new RoleResult(w.from, w.from, holder, holderEpoch(), took, maint), null);
      }
    }
  }

  private void timedOut(Pending w) {
    if (pending.containsKey(w.request.id())) {
      String holder = vipHolder();
      finish(w, null, new RoleRefused((w.from == null ? "no answer from the MASTER"
          : "the handoff from " + w.from + " to " + w.to + " did not complete") + " within "
          + Durations.format(Duration.ofMillis(w.request.timeoutMillis()))
          + "; the VIP is held by " + (holder == null ? "no one known" : holder), w.from != null));
    }
  }

  private void finish(Pending w, RoleResult ok, RoleRefused failed) {
    pending.remove(w.request.id());
    vertx.cancelTimer(w.timer);
    if (ok != null) {
      w.promise.tryComplete(ok);
    } else {
      w.promise.tryFail(failed);
    }
  }

  /** Who serves the VIP as this node knows: itself, or a peer that says it is MASTER holding it. */
  private String vipHolder() {
    if ((election.state() == NodeState.MASTER || election.state() == NodeState.DRAINING) && vip.held()) {
      return name;
    }
    return peers.values().stream().filter(s -> s.state() == NodeState.MASTER && s.vipHeld())
        .map(NodeStatus::name).findFirst().orElse(null);
  }

  private long holderEpoch() {
    String h = vipHolder();
    if (h == null) {
      return 0;
    }
    return h.equals(name) ? election.epoch() : peers.get(h).epoch();
  }

  /** An operator request waiting for its outcome on the asked node. */
  private static final class Pending {
    final RoleRequest request;
    final Promise<RoleResult> promise;
    final long startedNanos;
    long timer = -1;
    String from;
    String to;

    Pending(RoleRequest request, Promise<RoleResult> promise, long startedNanos) {
      this.request = request;
      this.promise = promise;
      this.startedNanos = startedNanos;
    }
  }
}
