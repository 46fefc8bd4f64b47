package io.tandem.backend;

import io.tandem.config.BackendConfig;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One backend's state inside {@link DefaultBackendPool}. The pool writes the state fields under
 * its lock; they are volatile so getters and selection read them without it. {@code failures}
 * and {@code inFlight} are plain atomics because every request touches them.
 */
final class PooledBackend implements Backend {
  private final DefaultBackendPool pool;
  private final BackendConfig config;
  /** Handed out by select and byId, so the hot path allocates no Optional. */
  final Optional<Backend> asOptional;

  final AtomicInteger inFlight = new AtomicInteger();
  /** Failures in a row since the last success (or the last ejection). */
  final AtomicInteger failures = new AtomicInteger();
  /** How many ejections in a row without a success in between: the back-off exponent. */
  volatile int ejections;

  // Written under the pool's lock only.
  volatile AdminState admin = AdminState.ENABLED;
  volatile boolean healthy = true;
  volatile boolean ejected;
  volatile long ejectedUntil;
  volatile BackendState state = BackendState.UP;
  /** Why the next computed state change happens; read and cleared under the lock. */
  String pendingReason;

  PooledBackend(DefaultBackendPool pool, BackendConfig config) {
    this.pool = pool;
    this.config = config;
    this.asOptional = Optional.of(this);
  }

  /** The state these fields imply; the table in {@link BackendState}'s comment. */
  static BackendState effective(AdminState admin, boolean healthy, boolean ejected) {
    if (admin == AdminState.MAINT) {
      return BackendState.MAINT;
    }
    if (!healthy || ejected) {
      return BackendState.DOWN;
    }
    return admin == AdminState.DRAIN ? BackendState.DRAIN : BackendState.UP;
  }

  BackendState computed() {
    return effective(admin, healthy, ejected);
  }

  @Override
  public String id() {
    return config.id();
  }

  @Override
  public BackendConfig config() {
    return config;
  }

  @Override
  public BackendState state() {
    pool.noticeExpiry(this);
    return state;
  }

  @Override
  public AdminState adminState() {
    return admin;
  }

  @Override
  public boolean healthy() {
    return healthy;
  }

  @Override
  public boolean ejected() {
    pool.noticeExpiry(this);
    return ejected;
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public String toString() {
    return config.id() + "(" + state + ", in flight " + inFlight.get() + ")";
  }
}
