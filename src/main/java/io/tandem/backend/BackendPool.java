package io.tandem.backend;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The farm. Thread-safe: the proxy's event loops select and account concurrently, the health
 * checker and the admin API change states.
 */
public interface BackendPool {
  List<Backend> all();

  Optional<Backend> byId(String id);

  /**
   * A backend for a new user among those whose state {@link BackendState#acceptsNew() accepts new}
   * users, skipping {@code exclude} (ids already tried for this request): the one with the fewest
   * outstanding requests relative to its weight; ties rotate. Empty when none is usable.
   */
  Optional<Backend> select(Collection<String> exclude);

  /** Counts a request as in flight on {@code backend} until the returned lease is released. */
  Lease begin(Backend backend);

  /** Sets the operator's state; false when no backend has that id. */
  boolean setAdminState(String id, AdminState state);

  /** Called by the active health checker with each check's result. */
  void reportHealth(String id, boolean good, String detail);

  /** Listeners hear every change of a backend's effective state (on the thread that caused it). */
  void addListener(StateListener listener);

  /** One request's accounting: released exactly once with its outcome (later calls are ignored). */
  interface Lease {
    void release(Outcome outcome);
  }

  @FunctionalInterface
  interface StateListener {
    void changed(Backend backend, BackendState from, BackendState to, String reason);
  }
}
