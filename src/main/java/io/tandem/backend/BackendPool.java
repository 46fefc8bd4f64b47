package io.tandem.backend;

import io.tandem.config.BackendConfig;
import io.tandem.config.PassiveConfig;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The farm. Thread-safe: the proxy's event loops select and account concurrently, the health
 * checker and the admin API change states.
 */
public interface BackendPool {

  /**
   * A pool of {@code backends} (in this order, all starting ENABLED and healthy so traffic flows
   * before the first health check) with passive ejection as {@code passive} says.
   *
   * @param clockMillis milliseconds from any fixed origin (e.g. {@code System::currentTimeMillis}
   *     or a test's manual clock); ejections run out against it
   * @throws IllegalArgumentException on a duplicate id or a weight below 1
   */
  static BackendPool create(List<BackendConfig> backends, PassiveConfig passive, LongSupplier clockMillis) {
    return new DefaultBackendPool(backends, passive, clockMillis);
  }

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

  /**
   * Sets the operator's state; false when no backend has that id. {@link AdminListener}s hear it
   * (even when the state does not change: the operator said it again).
   */
  boolean setAdminState(String id, AdminState state);

  /**
   * Sets an admin state that came from elsewhere (a peer of the cluster): like {@link
   * #setAdminState}, but {@link AdminListener}s do not hear it, so it is not sent back. State
   * listeners hear the change with the reason {@code "admin (cluster): drain"} and so on.
   */
  boolean applyAdminState(String id, AdminState state);

  /** Listeners hear every {@link #setAdminState} (after it took effect, on the caller's thread). */
  void addAdminListener(AdminListener listener);

  /**
   * Called by the active health checker with its verdict, after its rise/fall counting: {@code
   * good} false once {@code fall} checks failed in a row, true again after {@code rise} passed. The
   * pool does no counting of its own; repeating the current verdict changes nothing. {@code detail}
   * (such as "HTTP 503 (3 in a row)") goes into the reason listeners hear. Unknown ids are ignored.
   */
  void reportHealth(String id, boolean good, String detail);

  /** Listeners hear every change of a backend's effective state (on the thread that caused it). */
  void addListener(StateListener listener);

  /**
   * Notices passive ejections that have run out and fires their changes. Ejection expiry is lazy:
   * reading a backend's {@link Backend#state() state} or selecting notices it too, so this is only
   * needed for listeners to hear of an expiry while no traffic flows and nobody looks; the owner
   * calls it now and then (say every second).
   */
  default void tick() {
    for (Backend b : all()) {
      b.state();
    }
  }

  /** One request's accounting: released exactly once with its outcome (later calls are ignored). */
  interface Lease {
    void release(Outcome outcome);
  }

  /** Hears the operator's changes, for replication; not {@link #applyAdminState}. */
  @FunctionalInterface
  interface AdminListener {
    void adminChanged(String id, AdminState state);
  }

  @FunctionalInterface
  interface StateListener {
    void changed(Backend backend, BackendState from, BackendState to, String reason);
  }
}
