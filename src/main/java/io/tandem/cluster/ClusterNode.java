package io.tandem.cluster;

import io.tandem.backend.BackendPool;
import io.tandem.config.ClusterConfig;
import io.tandem.sticky.StickyTable;
import io.tandem.vip.FloatingIp;
import io.tandem.vip.GuardVerdict;
import io.tandem.vip.PrefetchedGuard;
import io.tandem.vip.TakeoverGuard;
import io.tandem.vip.TakeoverJudge;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One node's membership in the pair: the channel, the replicated sticky table, the election and the
 * VIP it drives. Every JGroups callback hops onto one Vert.x context, where the election lives; the
 * node reacts to each event at once (a crashed peer is acted on when FD_SOCK2 sees its socket close,
 * not after the view change) and on every heartbeat, when it also broadcasts its status. Operator
 * requests and the planned handoff they drive live in {@link RoleRequests}; this node runs the loop.
 */
public final class ClusterNode {
  private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());
  /**
   * How long after the holder's suspicion an early guard check still serves the takeover: the
   * decision normally follows in a few milliseconds; a later one probes afresh.
   */
  private static final Duration EARLY_GUARD_MAX_AGE = Duration.ofMillis(50);
  /** How long the crash path warm-up may take before it gives up. */
  private static final Duration CRASH_WARM_UP_LIMIT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private volatile Context context;
  private final String name;
  private final ClusterConfig config;
  private final Election election;
  private final Quorum quorum;
  private final ClusterOptions options;
  private final ClusterChannel channel;
  private final ReplicatedStickyTable table;
  private final LocalHealth health;
  private final ClusterObserver observer;
  private final long pid = ProcessHandle.current().pid();
  private final Map<String, NodeStatus> peers = new ConcurrentHashMap<>();
  private final String probe;
  // Set in start(), read on the failure detector's thread too (an early guard check).
  private volatile FloatingIp vip;
  private volatile PrefetchedGuard guard;
  /** Reads the guard's verdicts in a row: one late probe of a live holder is no hang. */
  private final TakeoverJudge judge;
  private volatile boolean inSync;
  private volatile Thread crashWarmUp;
  private volatile boolean eligible = true;
  private volatile NodeStatus last;
  private boolean acting;
  /** When the current takeover began (nanoTime); a field, not a captured long: see takeOver. */
  private long takeoverBegan;
  private boolean refusedLogged;
  /** Set while this node, joined alone beside a VIP holder, waits for the holder's table. */
  private volatile AwaitedTable awaited;
  private boolean stopping;
  private volatile ScheduledExecutorService beat;
  private NodeState lastState = NodeState.INIT;
  private static final int HISTORY = 20;
  private final java.util.ArrayDeque<RoleChange> history = new java.util.ArrayDeque<>();
  /** The operator's backend states, once {@link #shareAdminStates} was called. */
  private volatile AdminStateSync adminStates;
  /** Heartbeats since the admin states were last sent again. */
  private int beatsSinceAdminStates;
  /** Every this many heartbeats the admin states go out again (anti-entropy for late joiners). */
  private static final int ADMIN_STATES_EVERY = 10;

  private HandoffOrder handoffOrder = HandoffOrder.RELEASE_FIRST;
  private DataPathDrain drain = DataPathDrain.NONE;
  private MaintenanceFile maintenanceFile;
  /** Failover and maintenance requests; built in {@link #start}, before the context exists. */
  private volatile RoleRequests requests;

  /**
   * Builds the channel and the replicated table around {@code local}; nothing is sent until
   * {@link #start}. Throws when the key file or the stack is unusable (the message names it).
   */
  public ClusterNode(Vertx vertx, String name, int priority, ClusterConfig config, StickyTable local,
      Duration stickyIdle, LocalHealth health, ClusterObserver observer, String probe) throws Exception {
    this.vertx = vertx;
    this.name = name;
    this.config = config;
    this.health = health;
    this.observer = observer;
    this.probe = probe;
    this.quorum = config.witness().isPresent()
        ? Quorum.withWitness(config.balancers(), Quorum.window(config.heartbeatInterval(), config.heartbeatTimeout()))
        : Quorum.NONE;
    java.util.function.LongSupplier millis = () -> System.nanoTime() / 1_000_000;
    this.election = new Election(name, priority, config.preempt(), config.heartbeatTimeout(), millis, quorum);
    // Retries come a heartbeat timeout apart (plus the probe, a heartbeat interval and however late
    // this node's timers run on a busy host): five timeouts span two of them with room to spare.
    this.judge = new TakeoverJudge(config.heartbeatTimeout().multipliedBy(5), millis);
    TakeoverJudge.warmUp();
    // The witness is no peer, but TCPPING must find it.
    this.options = new ClusterOptions(name, config.bind(), config.members(), config.keyFile(),
        config.heartbeatInterval(), config.heartbeatTimeout(), config.name(), null);
    this.channel = new ClusterChannel(options, new StateProvider() {
      @Override
      public void write(OutputStream out) throws java.io.IOException {
        table().snapshot(out);
      }

      @Override
      public void read(InputStream in) throws java.io.IOException {
        long n = table().restore(in);
        LOG.log(System.Logger.Level.INFO, "{0}: received the sticky table ({1} bindings)", name, Long.toString(n));
      }
    });
    this.table = new ReplicatedStickyTable(name, local, channel, this::every, System::currentTimeMillis,
        observer, ReplicationOptions.defaults(stickyIdle));
    channel.onMessage(this::received);
    channel.onView(v -> onContext(() -> viewChanged(v)));
    channel.onSuspect(s -> {
      checkGuardEarly(s);
      onContext(() -> suspected(s));
    });
  }

  /**
   * Makes the operator's states of {@code pool}'s backends cluster-wide ({@link AdminStateSync}):
   * call once, before {@link #start}.
   */
  public AdminStateSync shareAdminStates(BackendPool pool) {
    if (adminStates != null) {
      throw new IllegalStateException("admin states are already shared");
    }
    AdminStateSync sync = new AdminStateSync(name, pool, channel, System::currentTimeMillis);
    adminStates = sync;
    return sync;
  }

  /** The sticky table every part of this node uses: local reads, replicated changes. */
  public ReplicatedStickyTable table() {
    return table;
  }

  /**
   * Joins the cluster (on a worker: JGroups blocks), receives the table, then runs the election.
   * The node is never MASTER before it holds the full table.
   */
  public Future<Void> start(FloatingIp vip, TakeoverGuard guard) {
    this.vip = vip;
    this.guard = new PrefetchedGuard(guard, EARLY_GUARD_MAX_AGE, System::nanoTime);
    requests = new RoleRequests(name, pid, config.heartbeatTimeout(), election, channel, channel::members,
        Collections.unmodifiableMap(peers), health, vip, handoffOrder, drain, maintenanceFile, vertx,
        System::nanoTime, new Host());
    // A failure in the driver's background work (a gratuitous ARP) is a fault like a failed acquire.
    vip.onFault(reason -> onContext(() -> vipFault(reason)));
    Promise<Void> started = Promise.promise();
    // The election runs on its own ordered worker context, not on an event loop: a stuck proxy
    // loop must not silence the node (it reports itself unhealthy instead, and steps down).
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        ClusterNode.this.context = context;
        table.start();
        // The beat comes from a thread of its own: Vert.x timers fire on an event loop, and a
        // stuck loop would silence the node instead of letting it say it is unhealthy.
        long every = config.heartbeatInterval().toMillis();
        beat = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, name + "-heartbeat");
          t.setDaemon(true);
          return t;
        });
        beat.scheduleAtFixedRate(() -> onContext(ClusterNode.this::heartbeat), every, every, TimeUnit.MILLISECONDS);
        join(started, 0);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).onFailure(started::tryFail);
    return started.future();
  }

  private void join(Promise<Void> started, int attempt) {
    vertx.executeBlocking(() -> {
      channel.connect();
      return channel.aloneDespitePeers();
    }, false).onComplete(ar -> {
      if (ar.succeeded() && ar.result()) {
        // Alone: right if no peer runs, wrong if a busy one answered too late. In that case it
        // serves the VIP with the whole table, and this node must not claim to hold it. A holder
        // that does not answer the probe counts too: it may be a MASTER whose timers run late,
        // about to step down and take the VIP back (AwaitedTable tells it from a dead one).
        guard.check().onComplete(g -> onContext(() -> {
          if (g.succeeded() && g.result() != GuardVerdict.FREE) {
            awaited = new AwaitedTable(table.fullSyncsApplied(), (int) Math.max(1,
                config.heartbeatTimeout().toMillis() / config.heartbeatInterval().toMillis()));
            LOG.log(System.Logger.Level.WARNING, "{0}: joined cluster {1} alone, but another node holds the VIP "
                + "({2}): not in sync until the merge with it brings its table", name, config.name(), g.result());
            heartbeat();
            started.tryComplete();
          } else {
            joined(started);
          }
        }));
        return;
      }
      if (ar.succeeded()) {
        // The guard runs once now, its answer unused: a takeover's first probe then runs on linked
        // code. Its first run links a few dozen lambdas and method handles, which cost 10-20 ms
        // on a busy machine, inside the failover gap.
        guard.check();
        joined(started);
        return;
      }
      LOG.log(System.Logger.Level.WARNING, "{0}: cannot join the cluster (attempt {1}): {2}; retrying", name,
          Integer.toString(attempt + 1), ar.cause().getMessage());
      // The node serves its own listeners meanwhile; it only may not become MASTER.
      started.tryComplete();
      if (!stopping) {
        vertx.setTimer(Math.min(5000, 500L * (attempt + 1)), t -> join(started, attempt + 1));
      }
    });
  }

  /**
   * Runs JGroups' crash path once in a private pair on 127.0.0.1 ({@link CrashPathWarmUp}), on a
   * thread of its own, so that this node's first real suspicion of a dead peer runs on loaded
   * classes and linked lambdas. Best effort: the outcome is logged, and changes nothing else. Not a
   * Vert.x worker: it may outlive a node that stops at once (tests), and {@link #stop} interrupts it.
   */
  public void warmCrashPath() {
    Thread t = new Thread(() -> {
      try {
        CrashPathWarmUp.Result r = CrashPathWarmUp.run(options, CRASH_WARM_UP_LIMIT);
        LOG.log(System.Logger.Level.INFO, "{0}: crash path warmed in a private pair on 127.0.0.1: formed in {1} ms, "
            + "the crashed member suspected in {2} ms and dropped in {3} ms", name, Long.toString(r.formMillis()),
            Long.toString(r.suspectMillis()), Long.toString(r.viewMillis()));
      } catch (InterruptedException e) {
        // The node stops.
      } catch (Exception e) {
        LOG.log(System.Logger.Level.WARNING, "{0}: crash path warm-up failed (the first failover may be slower): {1}",
            name, e.getMessage());
      }
    }, name + "-crash-path-warm-up");
    t.setDaemon(true);
    crashWarmUp = t;
    t.start();
  }

  private void stopCrashWarmUp() {
    Thread warming = crashWarmUp;
    if (warming != null) {
      warming.interrupt();
    }
  }

  private void joined(Promise<Void> started) {
    inSync = true;
    LOG.log(System.Logger.Level.INFO, "{0}: joined cluster {1} as one of {2}", name, config.name(),
        channel.members());
    heartbeat();
    started.tryComplete();
  }

  /** One heartbeat of a node that waits for the holder's table ({@link AwaitedTable}). */
  private void checkAwaitedTable() {
    AwaitedTable a = awaited;
    switch (a.beat(table.fullSyncsApplied())) {
      case MERGED -> {
        awaited = null;
        inSync = true;
        LOG.log(System.Logger.Level.INFO, "{0}: in sync: the merge brought the table ({1} bindings)", name,
            String.valueOf(table.size()));
      }
      case PROBE -> guard.check().onComplete(g -> onContext(() -> {
        if (awaited != a) {
          return; // the merge came first
        }
        boolean serves = g.succeeded() && g.result() == GuardVerdict.HELD_ALIVE;
        if (a.probed(serves) == AwaitedTable.Step.HOLDER_GONE) {
          awaited = null;
          inSync = true;
          LOG.log(System.Logger.Level.WARNING, "{0}: the holder of the VIP stopped serving before the merge ({1} "
              + "probes a heartbeat timeout apart): starting with the table this node has ({2} bindings)",
              name, String.valueOf(AwaitedTable.GONE_PROBES), String.valueOf(table.size()));
        } else if (!serves) {
          LOG.log(System.Logger.Level.INFO, "{0}: the holder of the VIP did not serve at a probe ({1}): "
              + "probing again in a heartbeat timeout before starting without its table", name,
              g.succeeded() ? g.result() : g.cause().getMessage());
        }
      }));
      default -> { }
    }
  }

  /** Whether this node joined alone beside a VIP holder and still waits for its table. */
  public boolean awaitingTable() {
    return awaited != null;
  }

  /** The context the election runs on (tests freeze it to simulate a hung process). */
  public Context context() {
    return context;
  }

  /** Gives the VIP up, tells the peers, and leaves the cluster. */
  public Future<Void> stop() {
    stopCrashWarmUp();
    if (context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      stopping = true;
      eligible = false;
      stopBeat();
      election.abortHandoff("stopping");
      Future<Void> released = vip != null && vip.held() ? vip.release(election.epoch()) : Future.succeededFuture();
      released.onComplete(ar -> onContext(() -> {
        election.vipReleased();
        // The goodbye: not eligible, no VIP, so the peer takes over now rather than at the view change.
        election.local(true, inSync, false, "stopping");
        election.decide();
        broadcastStatus();
        table.close();
        vertx.executeBlocking(() -> {
          channel.close();
          return null;
        }, false).onComplete(x -> done.complete());
      }));
    });
    return done.future();
  }

  /** Drills and tests: cut or restore this node's cluster link (both directions). */
  public void isolate(boolean cut) {
    channel.isolate(cut);
  }

  /** Drills and tests: leave as a crash would (no VIP release, no goodbye, sockets closed). */
  public void abort() {
    stopping = true;
    stopBeat();
    stopCrashWarmUp();
    channel.abort();
  }

  /** Whether this node may be elected (maintenance sets it through {@link #maintenance(String, boolean, Duration)}). */
  public void setEligible(boolean value) {
    eligible = value;
    onContext(this::heartbeat);
  }

  /** How this node's VIP driver hands over (call before {@link #start}). */
  public void handoffOrder(HandoffOrder order) {
    this.handoffOrder = order;
  }

  /** The data path a planned handoff drains (call before {@link #start}). */
  public void drain(DataPathDrain drain) {
    this.drain = drain;
  }

  /**
   * Where maintenance is kept across restarts (call before {@link #start}): reads it now, so a node
   * restarted in maintenance is never elected.
   */
  public void maintenanceFile(MaintenanceFile file) {
    this.maintenanceFile = file;
    if (file.read()) {
      eligible = false;
      LOG.log(System.Logger.Level.INFO, "{0}: in maintenance ({1} exists): will not be elected", name, file.path());
    }
  }

  /** Whether this node is in maintenance (not eligible). */
  public boolean maintenance() {
    return !eligible && !stopping;
  }

  /**
   * A planned failover, asked of this node: the MASTER (this node or a peer) drains and hands the VIP
   * to {@code target} (null: the best other candidate). Completes when the new MASTER holds the VIP;
   * fails with {@link RoleRefused} (the reason) when refused, failed or not done within the timeout.
   */
  public Future<RoleResult> failover(String target, Duration timeout) {
    return ask(RoleRequest.Kind.FAILOVER, target, timeout);
  }

  /**
   * Maintenance on or off for {@code node} (null: this node). Turning it on for the MASTER hands
   * the VIP over first (as {@link #failover}); the node is then not elected until it is turned off,
   * across restarts.
   */
  public Future<RoleResult> maintenance(String node, boolean on, Duration timeout) {
    return ask(on ? RoleRequest.Kind.MAINTENANCE_ON : RoleRequest.Kind.MAINTENANCE_OFF, node, timeout);
  }

  private Future<RoleResult> ask(RoleRequest.Kind kind, String node, Duration timeout) {
    if (context == null) {
      return Future.failedFuture(new RoleRefused(name + " is not running in a cluster yet", false));
    }
    return requests.ask(kind, node, timeout);
  }

  private void stopBeat() {
    ScheduledExecutorService b = beat;
    if (b != null) {
      b.shutdownNow();
    }
  }

  private void onContext(Runnable r) {
    Context c = context;
    if (c != null) {
      c.runOnContext(v -> r.run());
    }
  }

  public NodeStatus status() {
    NodeStatus s = last;
    return s != null ? s : election.status(health.usableBackends(), probe, pid, System.currentTimeMillis());
  }

  /** The latest status of each peer in the view. */
  public Map<String, NodeStatus> peers() {
    return Map.copyOf(peers);
  }

  public List<String> members() {
    return channel.members();
  }

  public boolean inSync() {
    return inSync;
  }

  /** The majority rule this node follows ({@link Quorum#NONE} without a witness). */
  public Quorum quorum() {
    return quorum;
  }

  private void received(String sender, byte[] payload) {
    MessageType type;
    try {
      type = WireCodec.typeOf(payload);
    } catch (WireFormatException e) {
      LOG.log(System.Logger.Level.WARNING, "{0}: dropped a malformed message from {1}: {2}", name, sender, e.getMessage());
      return;
    }
    try {
      if (type == MessageType.STATUS) {
        NodeStatus s = WireCodec.decodeStatus(payload);
        onContext(() -> peerStatus(s));
      } else if (type == MessageType.FAILOVER_REQUEST) {
        RoleRequest q = WireCodec.decodeRoleRequest(payload);
        onContext(() -> requests.handleRequest(q));
      } else if (type == MessageType.FAILOVER_ACK) {
        RoleAck a = WireCodec.decodeRoleAck(payload);
        onContext(() -> requests.onAck(a));
      } else if (type == MessageType.BACKEND_STATES) {
        AdminStateSync sync = adminStates;
        if (sync != null) {
          sync.onMessage(payload);
        }
      } else if (!table.onMessage(payload)) {
        LOG.log(System.Logger.Level.DEBUG, "{0}: ignored a {1} message from {2}", name, type, sender);
      }
    } catch (WireFormatException e) {
      LOG.log(System.Logger.Level.WARNING, "{0}: dropped a malformed {1} from {2}: {3}", name, type, sender,
          e.getMessage());
    }
  }

  private void peerStatus(NodeStatus s) {
    if (s.name().equals(name)) {
      LOG.log(System.Logger.Level.ERROR, "{0}: another member uses this node's name: every node needs its own", name);
      return;
    }
    peers.put(s.name(), s);
    election.peerStatus(s);
    act();
    requests.checkPending();
  }

  private void viewChanged(ViewInfo v) {
    peers.keySet().retainAll(v.members());
    election.view(new HashSet<>(v.members()), v.merge());
    observer.viewChanged(v.members().size(), v.merge());
    LOG.log(System.Logger.Level.INFO, "{0}: view {1}{2}", name, v.members(), v.merge() ? " (merge)" : "");
    if (v.merge()) {
      // Both sides may have bound users during the partition: send ours, newest wins on each side.
      vertx.executeBlocking(() -> table.sendFullSync(), false);
    }
    act();
    broadcastStatus();
    // A joining (or restarted) node learns the operator's backend states from every member.
    sendAdminStates();
  }

  private void sendAdminStates() {
    beatsSinceAdminStates = 0;
    AdminStateSync sync = adminStates;
    if (sync != null) {
      sync.broadcast();
    }
  }

  /**
   * On the failure detector's thread: the peer that holds (or claims) the VIP is suspected, so the
   * takeover's guard starts now, while the suspicion travels to the election's context.
   */
  private void checkGuardEarly(String peer) {
    PrefetchedGuard g = guard;
    FloatingIp v = vip;
    NodeStatus s = peers.get(peer);
    if (g != null && v != null && !v.held() && s != null && Ballot.claims(s)) {
      g.prefetch();
    }
  }

  private void suspected(String peer) {
    election.suspect(peer);
    act(); // first: a takeover starts here, and the log is a file write
    LOG.log(System.Logger.Level.INFO, "{0}: {1} suspected (its socket closed)", name, peer);
  }

  private void heartbeat() {
    if (stopping) {
      return;
    }
    if (awaited != null) {
      checkAwaitedTable();
    }
    String problem = health.problem();
    election.local(problem == null, inSync, eligible, problem);
    election.tick();
    act();
    broadcastStatus();
    if (++beatsSinceAdminStates >= ADMIN_STATES_EVERY) {
      sendAdminStates();
    }
  }

  /** Acts on the election's decision; one VIP action at a time, re-deciding when it ends. */
  private void act() {
    if (acting || stopping || vip == null) {
      return;
    }
    NodeState before = election.state();
    Decision d = election.decide();
    if (before == NodeState.DRAINING && election.state() == NodeState.MASTER) {
      requests.handoffEnded(election.handoffFailure());
    }
    noteState(d.reason());
    switch (d.action()) {
      case BECOME_MASTER -> takeOver(d);
      case STEP_DOWN -> stepDown(d);
      case KEEP -> {
        if (election.mustReannounce() && vip.held()) {
          election.reannounced();
          vip.announce(election.epoch());
        }
        // A DRAINING holder still serves the VIP: its lease must not lapse during the drain.
        if ((election.state() == NodeState.MASTER || election.state() == NodeState.DRAINING) && vip.held()
            && health.problem() == null && election.ticking()) {
          // The lease: a MASTER that stops getting here (hung, dead, unhealthy) loses the VIP to
          // the kernel. After a pause the first tick steps it down, and until that tick nothing is
          // renewed (a suspicion or view change handled first must not bring the VIP back: the
          // hang drill saw 8-71 ms of two holders from that).
          long epoch = election.epoch();
          vip.renew(epoch).onFailure(e -> onContext(() -> vipFault(e.getMessage())));
        }
      }
    }
  }

  private void takeOver(Decision d) {
    acting = true;
    takeoverBegan = System.nanoTime();
    // The target of a ready handoff skips the guard: the holder let go (or shares the address while
    // it stops accepting), and the guard would find it alive and refuse.
    Future<GuardVerdict> verdict = vip.held() || election.takingOverByHandoff()
        ? Future.succeededFuture(GuardVerdict.FREE) : judge.confirming() ? guard.confirm() : guard.check();
    // The guard's and the VIP's futures complete on other threads: every result hops back onto
    // this context, where the election lives. These lambdas capture references only: the first
    // run of one that captures a long spins a method-handle shape of its own (milliseconds on a
    // busy machine, inside the failover gap).
    if (verdict.isComplete()) {
      // An early check (or a handoff) answered already: act on it now, on this task, rather than
      // queue it behind the rest of it (a status broadcast, logs): milliseconds in a crash's gap.
      guarded(d, verdict);
    } else {
      verdict.onComplete(g -> onContext(() -> guarded(d, g)));
    }
  }

  private void guarded(Decision d, io.vertx.core.AsyncResult<GuardVerdict> g) {
    if (stopping) {
      refused(d, null);
      return;
    }
    boolean confirming = judge.confirming();
    TakeoverJudge.Ruling ruling = g.succeeded() ? judge.rule(g.result()) : TakeoverJudge.Ruling.REFUSE;
    if (ruling == TakeoverJudge.Ruling.CHECK_AGAIN) {
      // Logged each time: rare, and the operator should see a holder that is this slow.
      LOG.log(System.Logger.Level.WARNING, "{0}: elected, but the VIP''s holder, which answered a recent check, "
          + "did not answer this one in time: not taking the VIP yet (a live holder answers late at times); "
          + "the next check waits longer for its answer", name);
      refusedLogged = true; // the line above says more than refused() would
      refused(d, "the VIP's holder answered late once: checking again");
      return;
    }
    if (!ruling.takes() || election.mustYield()) {
      if (confirming && ruling == TakeoverJudge.Ruling.REFUSE) {
        LOG.log(System.Logger.Level.INFO, "{0}: the VIP''s holder answered the second check: not taking the VIP", name);
      }
      // A live node serves the VIP, or another node is taking it over and comes first.
      refused(d, ruling.takes() ? "another node is taking the VIP over first"
          : "the VIP answers from a live node: not taking it");
      return;
    }
    vip.acquire(d.epoch()).onComplete(ar -> onContext(() -> acquired(d, ar)));
    if (ruling == TakeoverJudge.Ruling.TAKE_AFTER_SECOND_MISS) {
      // After the acquire has started: a log line is a file write, and this is inside the gap.
      LOG.log(System.Logger.Level.WARNING, "{0}: the VIP''s holder missed two checks in a row: taking the VIP over",
          name);
    }
  }

  private void refused(Decision d, String why) {
    acting = false;
    if (why == null) {
      return; // stopping: stop() takes it from here
    }
    // Not a fault of ours: a live node serves the VIP (a partition, or its status is late).
    election.takeoverRefused(why);
    if (!refusedLogged) {
      refusedLogged = true;
      LOG.log(System.Logger.Level.WARNING, "{0}: elected, but {1} (split brain otherwise); checking again "
          + "every heartbeat timeout", name, why);
    }
    noteState("takeover refused");
    broadcastStatus();
  }

  private void acquired(Decision d, io.vertx.core.AsyncResult<Void> ar) {
    acting = false;
    if (stopping) {
      // stop() ran while the VIP was being taken: give it straight back.
      if (ar.succeeded()) {
        vip.release(d.epoch());
      }
      return;
    }
    refusedLogged = false;
    if (ar.succeeded()) {
      judge.forget();
    }
    election.vipAcquired(ar.succeeded(), ar.succeeded() ? null : ar.cause().getMessage());
    if (ar.failed()) {
      observer.vipFault(ar.cause().getMessage());
    }
    if (ar.succeeded()) {
      long took = (System.nanoTime() - takeoverBegan) / 1_000_000;
      LOG.log(System.Logger.Level.INFO, "{0}: epoch {1}: MASTER ({2}), VIP taken in {3} ms", name,
          Long.toString(d.epoch()), d.reason(), Long.toString(took));
      observer.becameMaster(d.epoch(), d.reason(), took);
    } else {
      LOG.log(System.Logger.Level.WARNING, "{0}: epoch {1}: not taking the VIP: {2}", name,
          Long.toString(d.epoch()), ar.cause().getMessage());
    }
    noteState(d.reason());
    broadcastStatus();
    act();
    requests.checkPending();
  }

  private void stepDown(Decision d) {
    acting = true;
    vip.release(d.epoch()).onComplete(ar -> onContext(() -> {
      acting = false;
      if (ar.failed()) {
        // Still bound: report it as a driver fault; the election asks for another release.
        election.vipAcquired(false, "release failed: " + ar.cause().getMessage());
        observer.vipFault("release failed: " + ar.cause().getMessage());
        LOG.log(System.Logger.Level.ERROR, "{0}: epoch {1}: cannot release the VIP: {2}", name,
            Long.toString(d.epoch()), ar.cause().getMessage());
      } else {
        election.vipReleased();
        LOG.log(System.Logger.Level.INFO, "{0}: epoch {1}: stepped down ({2})", name, Long.toString(d.epoch()),
            d.reason());
      }
      noteState(d.reason());
      broadcastStatus();
      if (ar.succeeded()) {
        requests.released();
      }
      if (!stopping) {
        act();
      }
    }));
  }

  private void vipFault(String reason) {
    if (stopping) {
      return;
    }
    LOG.log(System.Logger.Level.ERROR, "{0}: epoch {1}: VIP driver fault: {2}", name,
        Long.toString(election.epoch()), reason);
    observer.vipFault(reason);
    election.vipAcquired(false, reason);
    act();
    broadcastStatus();
  }

  private void noteState(String reason) {
    NodeState now = election.state();
    if (now != lastState) {
      if (now == NodeState.FAULT && vip != null) {
        vip.fault(election.epoch(), reason);
      }
      observer.stateChanged(lastState, now, election.epoch(), reason);
      synchronized (history) {
        history.addFirst(new RoleChange(System.currentTimeMillis(), lastState, now, election.epoch(), reason));
        while (history.size() > HISTORY) {
          history.removeLast();
        }
      }
      lastState = now;
    }
  }

  /** This node's last role changes, newest first (for the status page: recent failovers). */
  public List<RoleChange> history() {
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  /** One change of this node's role. */
  public record RoleChange(long atMillis, NodeState from, NodeState to, long epoch, String reason) {}

  private void broadcastStatus() {
    NodeStatus s = election.status(health.usableBackends(), probe, pid, System.currentTimeMillis());
    last = s;
    channel.broadcast(WireCodec.encodeStatus(s));
  }

  /** What the requests may do to this node, kept off its public face. */
  private final class Host implements RoleRequests.Host {
    @Override
    public void onContext(Runnable task) {
      ClusterNode.this.onContext(task);
    }

    @Override
    public boolean inSync() {
      return inSync;
    }

    @Override
    public boolean eligible() {
      return eligible;
    }

    @Override
    public void setEligible(boolean value) {
      ClusterNode.this.setEligible(value);
    }

    @Override
    public void markIneligible() {
      eligible = false;
    }

    @Override
    public void act() {
      ClusterNode.this.act();
    }

    @Override
    public void noteState(String reason) {
      ClusterNode.this.noteState(reason);
    }

    @Override
    public void broadcastStatus() {
      ClusterNode.this.broadcastStatus();
    }
  }

  private Scheduler.Cancellable every(Duration period, Runnable task) {
    long id = vertx.setPeriodic(period.toMillis(), t -> task.run());
    return () -> vertx.cancelTimer(id);
  }
}
