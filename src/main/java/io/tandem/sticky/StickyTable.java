package io.tandem.sticky;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Key to backend bindings. Thread-safe. Mutations notify listeners after the change is made
 * (outside any lock), which is how the replicator learns of them.
 */
public interface StickyTable {

  /**
   * A table held in this process's memory. Versions follow a Lamport clock: a local change takes
   * {@code max(highest version this table has seen, the key's version) + 1}, and versions received
   * from peers advance that clock, so a later change anywhere in the cluster carries a higher
   * version than anything it could have seen.
   *
   * @param idleTimeout a binding unused for longer than this is absent, and swept by {@link #expireIdle()}
   * @param maxEntries a soft cap: when reached, a new key is not stored (see {@link #rejectedFull()})
   * @param clockMillis wall-clock milliseconds ({@code System::currentTimeMillis} in production):
   *     last-seen times travel between nodes, so a monotonic per-process clock would not do
   */
  static StickyTable local(Duration idleTimeout, int maxEntries, LongSupplier clockMillis) {
    return new LocalStickyTable(idleTimeout, maxEntries, clockMillis);
  }

  /** The binding of {@code key}, if any and not expired; does not count as activity. */
  Optional<Binding> get(String key);

  /** Binds {@code key} to {@code backendId} (a new version), replacing any binding. */
  Binding bind(String key, String backendId);

  /**
   * Moves {@code key} from {@code fromBackend} to {@code toBackend} only if it is still bound to
   * {@code fromBackend}; otherwise returns the current binding unchanged. This is what makes a
   * re-bind happen once even when many requests of one user race. A key with no live binding is
   * simply bound to {@code toBackend} (listeners hear {@code bound}, not {@code rebound}).
   */
  Binding rebind(String key, String fromBackend, String toBackend, RebindReason reason);

  /** Marks activity (cheap; replicated coarsely). */
  void touch(String key);

  void remove(String key);

  /**
   * Applies a binding received from a peer: kept only if its version is newer than the local one
   * (ties: the later lastSeen, then the greater backend id, so every node picks the same). A peer's
   * touch can travel as its current binding with a later lastSeen. Does not notify listeners of
   * local changes (no echo).
   */
  boolean applyRemote(Binding binding);

  /** Applies a delete received from a peer, if the local version is not newer. */
  boolean applyRemoteRemove(String key, long version);

  /** Entries held, including idle ones not yet swept by {@link #expireIdle()}. */
  int size();

  /**
   * New keys that were not stored because the table was full even after sweeping idle entries
   * (their requests proceed unbound), since the table was created.
   */
  long rejectedFull();

  /** Number of live bindings per backend id. */
  Map<String, Integer> countByBackend();

  /** Removes idle entries (older than the idle timeout); returns how many. */
  int expireIdle();

  /** Calls {@code action} for every live binding (a weakly consistent snapshot). */
  void forEach(Consumer<Binding> action);

  void addListener(Listener listener);

  /** Hears local changes: what the replicator sends to peers. */
  interface Listener {
    void bound(Binding binding);

    default void rebound(Binding binding, String fromBackend, RebindReason reason) {
      bound(binding);
    }

    void removed(String key, long version);

    default void touched(String key, long lastSeenMillis) {}
  }
}
