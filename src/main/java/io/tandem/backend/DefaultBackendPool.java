package io.tandem.backend;

import io.tandem.config.BackendConfig;
import io.tandem.config.Durations;
import io.tandem.config.PassiveConfig;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The pool. Selection, leases and outcome counting are lock-free; every state change (admin,
 * health verdict, ejection and its end) happens under one lock that guards the backends' state
 * fields, computes the new effective states and collects the transitions, which listeners hear
 * after the lock is released (so a listener may call back into the pool). Two transitions caused on
 * two threads at once may reach listeners in either order; a listener that needs the latest state
 * reads {@link Backend#state()}.
 *
 * <p>Ejections end lazily: whoever next reads the backend's state (selection, {@link Backend#state()},
 * {@link #tick()}) notices that the injected clock has passed the end and fires the change.
 */
final class DefaultBackendPool implements BackendPool {
  private static final System.Logger LOG = System.getLogger(DefaultBackendPool.class.getName());
  private static final String LIFTED = "ejection lifted: no other backend accepts new users";

  private final PooledBackend[] backends;
  private final List<Backend> all;
  private final Map<String, PooledBackend> byId;
  private final PassiveEjection passive;
  private final LongSupplier clock;
  private final LeastOutstanding selector = new LeastOutstanding();
  private final List<StateListener> listeners = new CopyOnWriteArrayList<>();
  private final List<AdminListener> adminListeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();

  DefaultBackendPool(List<BackendConfig> configs, PassiveConfig passive, LongSupplier clockMillis) {
    this.passive = new PassiveEjection(Objects.requireNonNull(passive, "passive"));
    this.clock = Objects.requireNonNull(clockMillis, "clockMillis");
    this.backends = new PooledBackend[configs.size()];
    this.byId = new HashMap<>();
    for (int i = 0; i < backends.length; i++) {
      BackendConfig c = configs.get(i);
      if (c.weight() < 1) {
        throw new IllegalArgumentException("backends[" + i + "].weight: " + c.weight() + " (expected: >= 1)");
      }
      backends[i] = new PooledBackend(this, c);
      if (byId.put(c.id(), backends[i]) != null) {
        throw new IllegalArgumentException("backends[" + i + "].id: " + c.id() + " (expected: unique)");
      }
    }
    this.all = List.of(backends);
  }

  @Override
  public List<Backend> all() {
    return all;
  }

  @Override
  public Optional<Backend> byId(String id) {
    PooledBackend b = byId.get(id);
    return b == null ? Optional.empty() : b.asOptional;
  }

  @Override
  public Optional<Backend> select(Collection<String> exclude) {
    PooledBackend b = selector.pick(backends, exclude);
    return b == null ? Optional.empty() : b.asOptional;
  }

  @Override
  public Lease begin(Backend backend) {
    PooledBackend b = own(backend);
    b.inFlight.incrementAndGet();
    return new PoolLease(this, b);
  }

  @Override
  public boolean setAdminState(String id, AdminState state) {
    if (!admin(id, state, "admin: ")) {
      return false;
    }
    for (AdminListener l : adminListeners) {
      try {
        l.adminChanged(id, state);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "admin listener failed on " + id, e);
      }
    }
    return true;
  }

  @Override
  public boolean applyAdminState(String id, AdminState state) {
    return admin(id, state, "admin (cluster): ");
  }

  @Override
  public void addAdminListener(AdminListener listener) {
    adminListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  private boolean admin(String id, AdminState state, String reason) {
    Objects.requireNonNull(state, "state");
    PooledBackend b = byId.get(id);
    if (b == null) {
      return false;
    }
    List<Change> changes;
    synchronized (lock) {
      endDueEjections(clock.getAsLong());
      b.admin = state;
      b.pendingReason = reason + state.name().toLowerCase(Locale.ROOT);
      changes = settle();
    }
    fire(changes);
    return true;
  }

  @Override
  public void reportHealth(String id, boolean good, String detail) {
    PooledBackend b = byId.get(id);
    if (b == null) {
      return;
    }
    List<Change> changes;
    synchronized (lock) {
      endDueEjections(clock.getAsLong());
      b.healthy = good;
      b.pendingReason = (good ? "health check passed: " : "health check failed: ") + detail;
      changes = settle();
    }
    fire(changes);
  }

  @Override
  public void addListener(StateListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Feeds passive ejection with a released lease's outcome. Lock-free unless it may eject. */
  void record(PooledBackend b, Outcome outcome) {
    if (!passive.enabled() || outcome == Outcome.CANCELLED) {
      return;
    }
    if (noticeExpiry(b)) {
      // Sent before the ejection; it tells nothing about how the backend is doing now.
      return;
    }
    if (outcome == Outcome.SUCCESS) {
      // Reads first: under load almost every outcome is a success and the fields are already 0.
      if (b.failures.get() != 0) {
        b.failures.set(0);
      }
      if (b.ejections != 0) {
        b.ejections = 0;
      }
    } else if (PassiveEjection.isFailure(outcome)
        && b.failures.incrementAndGet() >= passive.threshold()) {
      tryEject(b);
    }
  }

  /** Ends {@code b}'s ejection if its time has come; true while it stays ejected. */
  boolean noticeExpiry(PooledBackend b) {
    if (!b.ejected) {
      return false;
    }
    long now = clock.getAsLong();
    if (now < b.ejectedUntil) {
      return true;
    }
    List<Change> changes;
    synchronized (lock) {
      endDueEjections(now);
      changes = settle();
    }
    fire(changes);
    return b.ejected;
  }

  private void tryEject(PooledBackend b) {
    List<Change> changes;
    synchronized (lock) {
      long now = clock.getAsLong();
      endDueEjections(now);
      int failures = b.failures.get();
      if (b.ejected || failures < passive.threshold()) {
        return; // another thread ejected it, or a success came in between
      }
      // The guard (Envoy's max_ejection_percent in spirit): ejection is a guess from a handful of
      // failed requests, and a farm with nothing to send new users to answers every one of them
      // 503. A failing backend may still answer some requests; none answers none. So the last
      // backend that accepts new users stays in; health checks can still take it out.
      if (!anyOtherAcceptsNew(b)) {
        b.failures.set(passive.threshold()); // keep trying on each failure, without overflowing
        return;
      }
      long ms = passive.ejectMillis(b.ejections);
      b.ejectedUntil = now + ms;
      b.ejected = true;
      b.ejections++;
      b.failures.set(0);
      b.pendingReason = "ejected for " + Durations.format(Duration.ofMillis(ms)) + " after "
          + failures + " failures in a row";
      changes = settle();
    }
    fire(changes);
  }

  private PooledBackend own(Backend backend) {
    if (backend instanceof PooledBackend b && byId.get(b.id()) == b) {
      return b;
    }
    throw new IllegalArgumentException("not a backend of this pool: " + backend);
  }

  // Under the lock from here on.

  private void endDueEjections(long now) {
    for (PooledBackend b : backends) {
      if (b.ejected && now >= b.ejectedUntil) {
        b.ejected = false;
        b.pendingReason = "ejection over";
      }
    }
  }

  private boolean anyOtherAcceptsNew(PooledBackend except) {
    for (PooledBackend b : backends) {
      if (b != except && b.computed().acceptsNew()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Lifts passive ejections when nothing else accepts new users (the other half of the guard:
   * health checks or the operator took the rest out while these were ejected), then stores the
   * new effective states and returns the transitions, or null when there are none.
   */
  private List<Change> settle() {
    if (!anyOtherAcceptsNew(null)) {
      for (PooledBackend b : backends) {
        if (b.ejected && PooledBackend.effective(b.admin, b.healthy, false).acceptsNew()) {
          b.ejected = false;
          b.pendingReason = LIFTED;
        }
      }
    }
    List<Change> changes = null;
    for (PooledBackend b : backends) {
      BackendState now = b.computed();
      if (now != b.state) {
        if (changes == null) {
          changes = new ArrayList<>(2);
        }
        changes.add(new Change(b, b.state, now, b.pendingReason == null ? "" : b.pendingReason));
        b.state = now;
      }
      b.pendingReason = null;
    }
    return changes;
  }

  private void fire(List<Change> changes) {
    if (changes == null) {
      return;
    }
    for (Change c : changes) {
      for (StateListener l : listeners) {
        try {
          l.changed(c.backend, c.from, c.to, c.reason);
        } catch (RuntimeException e) {
          // One broken listener must not stop the others, nor fail the request that caused this.
          LOG.log(Level.WARNING, "state listener failed on " + c.backend.id(), e);
        }
      }
    }
  }

  private record Change(Backend backend, BackendState from, BackendState to, String reason) {}
}
