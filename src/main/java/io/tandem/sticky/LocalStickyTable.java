package io.tandem.sticky;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The in-memory table: a {@link BindingIndex} from key to a compact {@link StoredBinding}.
 *
 * <p>Memory: a binding costs a 40-byte stored binding (backend ids are interned, so shared), its
 * key's bytes (16 plus the key's length, rounded up to 8) and a slot of 4 bytes at a load of 3/8
 * to 3/4: 104 bytes with a 34-character key ({@code StickyTableMemoryTest}; a ConcurrentHashMap of
 * String keys took 152). A touch writes {@code lastSeen} in place and allocates nothing.
 *
 * <p>Changes of a key's backend are compare-and-set on the stored binding's identity
 * ({@code putIfAbsent}, {@code replace(old, new)}), so racing writers of one key serialise on one
 * index segment for a few probes, and listeners run after the change on the caller's thread,
 * outside any lock. Listeners must not throw: the change is already made when they run.
 *
 * <p>Versions are a Lamport clock ({@link #nextVersion}): {@code max(highest version seen, the
 * key's version) + 1}; remote bindings and removes advance the clock. Remote writes are ordered by
 * version, then lastSeen, then backend id, so every node converges on the same binding whatever
 * the arrival order. Removes leave no tombstone (to keep memory per key flat): a remote binding
 * older than a remove that arrives after it recreates the key, which then idles out.
 */
final class LocalStickyTable implements StickyTable {

  /**
   * A full table sweeps idle entries at most this often, so that a table full of live users does
   * not scan a million entries for every new one.
   */
  private static final long FULL_SWEEP_INTERVAL_MILLIS = 1_000;

  private final BindingIndex entries = new BindingIndex();
  /** Backend ids arrive as fresh strings from peers; one shared instance each keeps entries small. */
  private final ConcurrentHashMap<String, String> backendIds = new ConcurrentHashMap<>();
  private final AtomicLong versions = new AtomicLong();
  private final LongAdder rejectedFull = new LongAdder();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final long idleMillis;
  private final int maxEntries;
  private final LongSupplier clock;
  private volatile long lastFullSweep;

  LocalStickyTable(Duration idleTimeout, int maxEntries, LongSupplier clockMillis) {
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 1)");
    }
    this.idleMillis = idleTimeout.toMillis();
    this.maxEntries = maxEntries;
    this.clock = Objects.requireNonNull(clockMillis, "clockMillis");
    this.lastFullSweep = clock.getAsLong() - FULL_SWEEP_INTERVAL_MILLIS;
  }

  @Override
  public Optional<Binding> get(String key) {
    StoredBinding e = entries.get(key);
    return e == null || idle(e, clock.getAsLong()) ? Optional.empty() : Optional.of(e.toBinding(key));
  }

  @Override
  public Binding bind(String key, String backendId) {
    String id = intern(backendId);
    long now = clock.getAsLong();
    while (true) {
      StoredBinding cur = entries.get(key);
      if (cur == null && !roomForNew(now)) {
        return rejected(key, id, now);
      }
      StoredBinding next = successor(key, cur, id, nextVersion(cur), now);
      if (compareAndSet(key, cur, next)) {
        Binding b = next.toBinding(key);
        listeners.forEach(l -> l.bound(b));
        return b;
      }
    }
  }

  @Override
  public Binding rebind(String key, String fromBackend, String toBackend, RebindReason reason) {
    String id = intern(toBackend);
    long now = clock.getAsLong();
    while (true) {
      StoredBinding cur = entries.get(key);
      boolean live = cur != null && !idle(cur, now);
      if (live && !cur.backendId.equals(fromBackend)) {
        return cur.toBinding(key); // another request of this user won the race, or a peer moved it
      }
      if (cur == null && !roomForNew(now)) {
        return rejected(key, id, now);
      }
      StoredBinding next = successor(key, cur, id, nextVersion(cur), now);
      if (compareAndSet(key, cur, next)) {
        Binding b = next.toBinding(key);
        // An expired or vanished binding is not a move: the user simply gets a new one.
        if (live) {
          listeners.forEach(l -> l.rebound(b, fromBackend, reason));
        } else {
          listeners.forEach(l -> l.bound(b));
        }
        return b;
      }
    }
  }

  @Override
  public void touch(String key) {
    StoredBinding e = entries.get(key);
    long now = clock.getAsLong();
    if (e == null || idle(e, now)) {
      return; // an expired binding stays expired: the request path binds afresh
    }
    if (now > e.lastSeen) {
      e.lastSeen = now; // a racing touch may write a slightly older time; harmless at ms scale
    }
    listeners.forEach(l -> l.touched(key, now));
  }

  @Override
  public void remove(String key) {
    StoredBinding cur = entries.remove(key);
    if (cur != null) {
      long version = nextVersion(cur);
      listeners.forEach(l -> l.removed(key, version));
    }
  }

  @Override
  public boolean applyRemote(Binding binding) {
    versions.accumulateAndGet(binding.version(), Math::max);
    String id = intern(binding.backendId());
    long now = clock.getAsLong();
    while (true) {
      StoredBinding cur = entries.get(binding.key());
      if (cur != null && !supersedes(binding, cur)) {
        return false;
      }
      if (cur == null && !roomForNew(now)) {
        rejectedFull.increment();
        return false;
      }
      StoredBinding next = successor(binding.key(), cur, id, binding.version(), binding.lastSeenMillis());
      if (compareAndSet(binding.key(), cur, next)) {
        return true;
      }
    }
  }

  @Override
  public boolean applyRemoteRemove(String key, long version) {
    versions.accumulateAndGet(version, Math::max);
    while (true) {
      StoredBinding cur = entries.get(key);
      if (cur == null || cur.version > version) {
        return false;
      }
      if (entries.remove(key, cur)) {
        return true;
      }
    }
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public long rejectedFull() {
    return rejectedFull.sum();
  }

  @Override
  public Map<String, Integer> countByBackend() {
    long now = clock.getAsLong();
    Map<String, Integer> counts = new HashMap<>();
    entries.forEach(e -> {
      if (!idle(e, now)) {
        counts.merge(e.backendId, 1, Integer::sum);
      }
    });
    return counts;
  }

  @Override
  public int expireIdle() {
    long now = clock.getAsLong();
    int[] removed = {0};
    entries.forEach(e -> {
      if (!idle(e, now)) {
        return;
      }
      String key = e.key();
      if (entries.remove(key, e)) {
        removed[0]++;
        // The binding's own version, not a new one: a peer that already holds a newer binding keeps it.
        listeners.forEach(l -> l.removed(key, e.version));
      }
    });
    return removed[0];
  }

  @Override
  public void forEach(Consumer<Binding> action) {
    long now = clock.getAsLong();
    entries.forEach(e -> {
      if (!idle(e, now)) {
        action.accept(e.toBinding(e.key()));
      }
    });
  }

  @Override
  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private boolean idle(StoredBinding e, long now) {
    return now - e.lastSeen > idleMillis;
  }

  /** Lamport clock: above every version this table has issued or received, and above the key's. */
  private long nextVersion(StoredBinding cur) {
    long floor = cur == null ? 0 : cur.version;
    return versions.updateAndGet(v -> Math.max(v, floor) + 1);
  }

  /** Newest version wins; ties by later lastSeen (a coarse touch), then backend id, so all nodes agree. */
  private static boolean supersedes(Binding remote, StoredBinding local) {
    if (remote.version() != local.version) {
      return remote.version() > local.version;
    }
    if (remote.lastSeenMillis() != local.lastSeen) {
      return remote.lastSeenMillis() > local.lastSeen;
    }
    return remote.backendId().compareTo(local.backendId) > 0;
  }

  private boolean compareAndSet(String key, StoredBinding expected, StoredBinding next) {
    return expected == null ? entries.putIfAbsent(key, next) : entries.replace(key, expected, next);
  }

  /** A new key's bytes are encoded once; every later binding of the key shares them. */
  private static StoredBinding successor(String key, StoredBinding cur, String backendId, long version,
      long lastSeen) {
    return cur == null
        ? StoredBinding.of(key, backendId, version, lastSeen)
        : cur.with(backendId, version, lastSeen);
  }

  /**
   * Whether a new key may be stored. The cap is soft: concurrent binds of new keys may pass it by
   * a few entries, which is cheaper than a global lock on the request path.
   */
  private boolean roomForNew(long now) {
    if (entries.size() < maxEntries) {
      return true;
    }
    if (now - lastFullSweep >= FULL_SWEEP_INTERVAL_MILLIS) {
      lastFullSweep = now;
      expireIdle();
    }
    return entries.size() < maxEntries;
  }

  /** The request proceeds on {@code backendId}; it just will not be sticky. */
  private Binding rejected(String key, String backendId, long now) {
    rejectedFull.increment();
    return new Binding(key, backendId, nextVersion(null), now);
  }

  private String intern(String backendId) {
    Objects.requireNonNull(backendId, "backendId");
    String shared = backendIds.putIfAbsent(backendId, backendId);
    return shared == null ? backendId : shared;
  }
}
