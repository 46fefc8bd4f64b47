package io.tandem.cluster;

import io.tandem.config.ClusterConfig;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A witness ({@code tandem witness}): a cluster member that only votes. It joins the balancers'
 * encrypted channel with the witness mark in its address, fetches and serves no state, and
 * broadcasts its status ({@link WitnessState}) on every heartbeat and every view change, so that
 * a balancer counts it for the majority rule ({@link Quorum}) as soon as it is in the view. It
 * reads the balancers' statuses only, to remember the highest epoch and to log who is MASTER.
 *
 * <p>Everything runs on one thread of its own, which keeps the JVM alive until {@link #stop}.
 */
public final class WitnessNode {
  private static final System.Logger LOG = System.getLogger(WitnessNode.class.getName());

  private final String name;
  private final ClusterConfig config;
  private final ClusterChannel channel;
  private final WitnessState state;
  private final ScheduledExecutorService thread;
  private final long pid = ProcessHandle.current().pid();
  /** Each balancer's last role, for the log; on {@link #thread} only. */
  private final Map<String, NodeState> roles = new HashMap<>();
  private volatile boolean joined;
  private volatile boolean stopping;

  /** Builds the channel (binds nothing yet); throws when the key file or the stack is unusable. */
  public WitnessNode(String name, ClusterConfig config) throws Exception {
    this.name = name;
    this.config = config;
    this.state = new WitnessState(name);
    ClusterOptions options = new ClusterOptions(name, config.bind(), config.peers(), config.keyFile(),
        config.heartbeatInterval(), config.heartbeatTimeout(), config.name(), null);
    this.channel = new ClusterChannel(options, StateProvider.none());
    channel.markAsWitness();
    // Not a daemon: the witness process lives as long as this thread.
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, name + "-witness"));
    channel.onMessage(this::received);
    channel.onView(v -> run(() -> viewChanged(v)));
  }

  /**
   * Joins the cluster (retrying while no balancer answers is JGroups' own business: alone, it forms
   * a view of its own and merges when they come) and starts the heartbeat. Completes once joined.
   */
  public CompletableFuture<Void> start() {
    CompletableFuture<Void> started = new CompletableFuture<>();
    thread.execute(() -> join(started, 0));
    return started;
  }

  private void join(CompletableFuture<Void> started, int attempt) {
    if (stopping) {
      started.complete(null);
      return;
    }
    try {
      channel.connect();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "{0}: cannot join the cluster (attempt {1}): {2}; retrying", name,
          Integer.toString(attempt + 1), e.getMessage());
      thread.schedule(() -> join(started, attempt + 1), Math.min(5000, 500L * (attempt + 1)), TimeUnit.MILLISECONDS);
      return;
    }
    joined = true;
    LOG.log(Level.INFO, "{0}: witness of cluster {1} on {2}, as one of {3}", name, config.name(), config.bind(),
        channel.members());
    long every = config.heartbeatInterval().toMillis();
    thread.scheduleAtFixedRate(this::broadcastStatus, 0, every, TimeUnit.MILLISECONDS);
    started.complete(null);
  }

  /** Leaves the cluster (the balancers see a view without it, no suspicion) and ends the thread. */
  public CompletableFuture<Void> stop() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    stopping = true;
    try {
      thread.execute(() -> {
        channel.close();
        LOG.log(Level.INFO, "{0}: left the cluster", name);
        done.complete(null);
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      done.complete(null); // stopped already
    }
    return done.whenComplete((v, e) -> thread.shutdownNow());
  }

  /** Drills and tests: cut or restore the witness's cluster link (both directions). */
  public void isolate(boolean cut) {
    channel.isolate(cut);
  }

  public boolean joined() {
    return joined;
  }

  public String name() {
    return name;
  }

  /** The members of the current view, by name. */
  public List<String> members() {
    return channel.members();
  }

  /** The highest epoch seen from the balancers. */
  public long maxEpochSeen() {
    return state.maxEpochSeen();
  }

  private void received(String sender, byte[] payload) {
    try {
      if (WireCodec.typeOf(payload) != MessageType.STATUS) {
        return; // sticky deltas and backend states: not the witness's business
      }
      NodeStatus s = WireCodec.decodeStatus(payload);
      run(() -> peerStatus(s));
    } catch (WireFormatException e) {
      LOG.log(Level.WARNING, "{0}: dropped a malformed message from {1}: {2}", name, sender, e.getMessage());
    }
  }

  private void peerStatus(NodeStatus s) {
    if (s.name().equals(name)) {
      LOG.log(Level.ERROR, "{0}: another member uses this node's name: every node needs its own", name);
      return;
    }
    state.peerStatus(s);
    if (!s.witness() && roles.put(s.name(), s.state()) != s.state()) {
      LOG.log(Level.INFO, "{0}: {1} is {2} (epoch {3}): {4}", name, s.name(), s.state(), Long.toString(s.epoch()),
          s.reason());
    }
  }

  private void viewChanged(ViewInfo v) {
    roles.keySet().retainAll(v.members());
    LOG.log(Level.INFO, "{0}: view {1}{2}", name, v.members(), v.merge() ? " (merge)" : "");
    // A balancer that just joined counts this vote without waiting for the next heartbeat.
    broadcastStatus();
  }

  private void broadcastStatus() {
    if (!stopping) {
      channel.broadcast(WireCodec.encodeStatus(state.status(pid, System.currentTimeMillis())));
    }
  }

  private void run(Runnable r) {
    try {
      thread.execute(() -> {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.log(Level.ERROR, name + ": witness task failed", e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Stopped: nothing left to do.
    }
  }
}
