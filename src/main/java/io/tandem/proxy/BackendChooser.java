package io.tandem.proxy;

import io.tandem.backend.Backend;
import io.tandem.backend.BackendPool;
import io.tandem.backend.BackendState;
import io.tandem.sticky.Binding;
import io.tandem.sticky.RebindReason;
import io.tandem.sticky.StickyPolicy;
import io.tandem.sticky.StickyTable;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The sticky half of the request path: finds the user's key, keeps a bound user on its backend
 * while that backend takes bound users (UP or DRAIN), and otherwise re-binds it once, through the
 * table's compare-and-set, so concurrent requests of one user all land on the same new backend and
 * the user never bounces back when the old backend returns.
 */
final class BackendChooser {
  private final BackendPool pool;
  private final StickyTable table;
  private final StickyPolicy policy;
  private final RebindCounter rebinds;

  /** Counts re-binds by reason (a metric). */
  @FunctionalInterface
  interface RebindCounter {
    void rebound(RebindReason reason);
  }

  BackendChooser(BackendPool pool, StickyTable table, StickyPolicy policy, RebindCounter rebinds) {
    this.pool = pool;
    this.table = table;
    this.policy = policy;
    this.rebinds = rebinds;
  }

  StickyPolicy policy() {
    return policy;
  }

  /** The user's key, read once per request. */
  Optional<String> keyOf(List<String> cookies, InetAddress peer, String xForwardedFor) {
    return policy.keyOf(cookies, peer, xForwardedFor);
  }

  /**
   * The backend for this attempt, or null when no usable backend is left. {@code tried} holds the
   * ids that failed to connect for this request; a bound backend among them is re-bound away from.
   */
  Choice choose(String key, Collection<String> tried) {
    if (key == null) {
      Optional<String> inserted = tried.isEmpty() ? policy.newInsertedKey() : Optional.empty();
      Backend b = pool.select(tried).orElse(null);
      if (b == null) {
        return null;
      }
      if (inserted.isPresent()) {
        table.bind(inserted.get(), b.id());
        return new Choice(b, inserted.get(), true, false);
      }
      return new Choice(b, null, false, false);
    }
    Binding binding = table.get(key).orElse(null);
    if (binding == null) {
      // A key we have never seen (expired, or issued before Tandem): bind it now so every later
      // request, on this node or its peer, agrees on one backend.
      Backend b = pool.select(tried).orElse(null);
      if (b == null) {
        return null;
      }
      table.bind(key, b.id());
      return new Choice(b, key, false, false);
    }
    Optional<Backend> bound = pool.byId(binding.backendId());
    if (bound.isPresent() && bound.get().state().acceptsBound() && !tried.contains(bound.get().id())) {
      table.touch(key);
      return new Choice(bound.get(), key, false, true);
    }
    RebindReason reason = bound.isEmpty() ? RebindReason.BACKEND_REMOVED
        : bound.get().state() == BackendState.MAINT ? RebindReason.BACKEND_MAINT
        : tried.contains(bound.get().id()) && bound.get().state().acceptsBound() ? RebindReason.BACKEND_FAILED
        : RebindReason.BACKEND_DOWN;
    Backend target = pool.select(tried).orElse(null);
    if (target == null) {
      return null;
    }
    Binding now = table.rebind(key, binding.backendId(), target.id(), reason);
    if (now.backendId().equals(target.id())) {
      rebinds.rebound(reason);
      return new Choice(target, key, false, false);
    }
    // Another request of this user re-bound it first: follow that decision if it is usable.
    Optional<Backend> winner = pool.byId(now.backendId());
    if (winner.isPresent() && winner.get().state().acceptsBound() && !tried.contains(winner.get().id())) {
      return new Choice(winner.get(), key, false, false);
    }
    return new Choice(target, key, false, false);
  }

  /** Learn mode: a response set the application's session cookie; bind it to who set it. */
  void learnFrom(List<String> setCookies, Backend backend) {
    if (setCookies.isEmpty()) {
      return;
    }
    policy.learnedKey(setCookies).ifPresent(key -> {
      Optional<Binding> current = table.get(key);
      if (current.isPresent() && current.get().backendId().equals(backend.id())) {
        table.touch(key);
      } else {
        table.bind(key, backend.id());
      }
    });
  }

  /**
   * One attempt's target; {@code insertCookie} says the response must hand the new key to the
   * client; {@code bound} that it is the backend the user was already bound to (moving that user
   * away loses its server-side session, so a failure there deserves a second try first).
   */
  record Choice(Backend backend, String key, boolean insertCookie, boolean bound) {}
}
