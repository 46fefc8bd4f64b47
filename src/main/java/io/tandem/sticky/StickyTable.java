package io.tandem.sticky;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Key to backend bindings. Thread-safe. Mutations notify listeners after the change is made
 * (outside any lock), which is how the replicator learns of them.
 */
public interface StickyTable {

  /** The binding of {@code key}, if any and not expired; does not count as activity. */
  Optional<Binding> get(String key);

  /** Binds {@code key} to {@code backendId} (a new version), replacing any binding. */
  Binding bind(String key, String backendId);

  /**
   * Moves {@code key} from {@code fromBackend} to {@code toBackend} only if it is still bound to
   * {@code fromBackend}; otherwise returns the current binding unchanged. This is what makes a
   * re-bind happen once even when many requests of one user race.
   */
  Binding rebind(String key, String fromBackend, String toBackend, RebindReason reason);

  /** Marks activity (cheap; replicated coarsely). */
  void touch(String key);

  void remove(String key);

  /**
   * Applies a binding received from a peer: kept only if its version is newer than the local one
   * (ties: the later lastSeen). Does not notify listeners of local changes (no echo).
   */
  boolean applyRemote(Binding binding);

  /** Applies a delete received from a peer, if the local version is not newer. */
  boolean applyRemoteRemove(String key, long version);

  int size();

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
