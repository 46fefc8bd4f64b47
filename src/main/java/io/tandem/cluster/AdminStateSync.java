package io.tandem.cluster;

import io.tandem.backend.AdminState;
import io.tandem.backend.BackendPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Makes the operator's backend states ({@code drain}, {@code maint}, {@code enable}) cluster-wide.
 *
 * <p>Per backend it keeps the last operator change known anywhere in the cluster as (state,
 * version, origin node). Versions are a Lamport clock: a local change takes the highest version
 * this node has seen (for any backend) plus one, so a change made after hearing another one always
 * wins over it; two changes made concurrently on two nodes with the same version are ordered by
 * the origin's name (the higher wins), so every node picks the same one.
 *
 * <p>A local change ({@link BackendPool#setAdminState}, heard through an admin listener) is
 * broadcast at once as the whole map (a few backends: tiny). The owner also calls {@link
 * #broadcast} on every view change and now and then, so a joining or restarted node converges.
 * Received entries that win over what this node knows are applied with {@link
 * BackendPool#applyAdminState}, which admin listeners do not hear: nothing echoes. A backend that
 * no operator has touched has no entry and keeps its configured state (ENABLED).
 *
 * <p>Thread-safe: one lock orders local changes and received ones, and the pool is set under it
 * (the pool never calls back into this class while holding its own lock), so the pool ends in the
 * state the map holds.
 */
public final class AdminStateSync {
  private static final System.Logger LOG = System.getLogger(AdminStateSync.class.getName());

  private final String name;
  private final BackendPool pool;
  private final ClusterTransport transport;
  private final LongSupplier clockMillis;
  private final Map<String, BackendStates.Entry> entries = new TreeMap<>();
  private long clock;

  /** Listens to {@code pool}'s admin changes from now on; sends nothing until a change or {@link #broadcast}. */
  public AdminStateSync(String name, BackendPool pool, ClusterTransport transport, LongSupplier clockMillis) {
    this.name = Objects.requireNonNull(name, "name");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    pool.addAdminListener(this::localChange);
  }

  /** The operator changed a backend on this node: a new version, sent to every peer at once. */
  void localChange(String id, AdminState state) {
    byte[] message;
    long version;
    synchronized (this) {
      version = ++clock;
      BackendStates.Entry e = new BackendStates.Entry(id, state, version, name);
      entries.put(id, e);
      // Again under the lock: a peer's change applied between the pool's update and this call
      // would otherwise leave the pool showing the peer's state while the map (and the cluster)
      // holds ours.
      pool.applyAdminState(id, state);
      message = encode();
    }
    LOG.log(System.Logger.Level.INFO, "{0}: operator set {1} to {2} (version {3}); telling the peers", name, id,
        state, Long.toString(version));
    transport.broadcast(message);
  }

  /** Sends the whole map to every peer (nothing when no operator changed anything yet). */
  public void broadcast() {
    byte[] message;
    synchronized (this) {
      if (entries.isEmpty()) {
        return;
      }
      message = encode();
    }
    transport.broadcast(message);
  }

  /** Handles a BACKEND_STATES message; false for other types. Throws {@link WireFormatException}. */
  public boolean onMessage(byte[] payload) {
    if (WireCodec.typeOf(payload) != MessageType.BACKEND_STATES) {
      return false;
    }
    apply(WireCodec.decodeBackendStates(payload));
    return true;
  }

  /** Adopts every entry of {@code states} that wins over this node's; returns how many. */
  public synchronized int apply(BackendStates states) {
    int adopted = 0;
    for (BackendStates.Entry e : states.entries()) {
      clock = Math.max(clock, e.version());
      BackendStates.Entry mine = entries.get(e.backendId());
      if (!e.newerThan(mine)) {
        continue;
      }
      entries.put(e.backendId(), e);
      adopted++;
      // Unknown ids (the peer's config differs) are kept and passed on, but change nothing here.
      if (pool.applyAdminState(e.backendId(), e.state())) {
        LOG.log(System.Logger.Level.INFO, "{0}: backend {1} set to {2} by the operator on {3} (version {4}, from {5})",
            name, e.backendId(), e.state(), e.origin(), Long.toString(e.version()), states.sender());
      }
    }
    return adopted;
  }

  /** This node's view: per backend id, the winning operator change. */
  public synchronized Map<String, BackendStates.Entry> entries() {
    return Map.copyOf(entries);
  }

  private byte[] encode() {
    List<BackendStates.Entry> list = new ArrayList<>(entries.values());
    return WireCodec.encodeBackendStates(new BackendStates(name, clockMillis.getAsLong(), list));
  }
}
