package io.tandem.backend;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/** One request's accounting; the first release counts, later ones are ignored. */
final class PoolLease implements BackendPool.Lease {
  // A field updater rather than an AtomicBoolean: one object per request instead of two.
  private static final AtomicIntegerFieldUpdater<PoolLease> RELEASED =
      AtomicIntegerFieldUpdater.newUpdater(PoolLease.class, "released");

  private final DefaultBackendPool pool;
  private final PooledBackend backend;
  private volatile int released;

  PoolLease(DefaultBackendPool pool, PooledBackend backend) {
    this.pool = pool;
    this.backend = backend;
  }

  @Override
  public void release(Outcome outcome) {
    Objects.requireNonNull(outcome, "outcome");
    if (RELEASED.compareAndSet(this, 0, 1)) {
      backend.inFlight.decrementAndGet();
      pool.record(backend, outcome);
    }
  }
}
