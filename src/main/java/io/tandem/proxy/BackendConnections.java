package io.tandem.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One event loop's keep-alive connections to the backends. Vert.x's shared pool serves any thread,
 * and pays for it on every request (a map lookup by endpoint key, a lock-free combiner, a chain of
 * futures: about a tenth of the loop's time in the proxy bench); here the loop that owns the
 * connections simply takes the first one that is free.
 *
 * <p>A connection is handed out only when its exchange gave it back after a clean end ({@link
 * Lease#release}) and Vert.x has no stream left on it. Any other ending (reset, timeout, error, a response
 * that closes) leaves it marked busy until it closes, so a connection that is about to close is never
 * handed out again; an upgraded one leaves the set ({@link Lease#detach}). Connections idle longer
 * than the keep-alive timeout are closed. Beyond {@code maxPerBackend} connections, requests go
 * through Vert.x's pool, which queues them.
 *
 * <p>Not thread-safe: used only on the event loop that created it.
 */
final class BackendConnections {
  private final Vertx vertx;
  private final HttpClientAgent client;
  private final int maxPerBackend;
  private final long connectTimeoutMs;
  private final long idleNanos;
  private final Map<String, List<Lease>> byBackend = new HashMap<>();
  private final long sweepTimer;

  BackendConnections(Vertx vertx, HttpClientAgent client, int maxPerBackend, long connectTimeoutMs, long idleMillis) {
    this.vertx = vertx;
    this.client = client;
    this.maxPerBackend = maxPerBackend;
    this.connectTimeoutMs = connectTimeoutMs;
    this.idleNanos = idleMillis * 1_000_000;
    this.sweepTimer = vertx.setPeriodic(Math.max(1000, idleMillis / 4), t -> closeIdle());
  }

  /**
   * A connection to backend {@code id} for one exchange: a free one, else a new one; null when the
   * backend has {@code maxPerBackend} already (the exchange then uses the shared pool, which queues).
   */
  Lease acquire(String id, boolean tls, SocketAddress address) {
    List<Lease> all = byBackend.computeIfAbsent(id, k -> new ArrayList<>());
    for (int i = 0; i < all.size(); i++) {
      Lease l = all.get(i);
      if (!l.busy && l.connection.activeStreams() == 0) {
        l.take();
        return l;
      }
    }
    if (all.size() >= maxPerBackend) {
      return null;
    }
    HttpConnectOptions connect = new HttpConnectOptions().setServer(address)
        .setHost(address.host()).setPort(address.port()).setConnectTimeout(connectTimeoutMs);
    if (tls) {
      connect.setSsl(true);
    }
    // A member before it connects, so that a burst does not open more than the limit.
    Lease l = new Lease(all);
    all.add(l);
    l.connecting = client.connect(connect).andThen(ar -> {
      if (ar.succeeded()) {
        l.connection = ar.result();
        l.connection.closeHandler(v -> l.leave());
      } else {
        l.leave();
      }
    });
    return l;
  }

  /**
   * For the exchanges that found no lease: Vert.x's shared pool, which queues them. The wait for a
   * connection, queue included, is bounded by the connect timeout (set on {@code options}, which
   * each attempt builds afresh); a request that ran out of it is never sent.
   */
  Future<HttpClientRequest> shared(RequestOptions options) {
    return client.request(options.setConnectTimeout(connectTimeoutMs));
  }

  private void closeIdle() {
    long now = System.nanoTime();
    for (List<Lease> all : byBackend.values()) {
      for (int i = all.size() - 1; i >= 0; i--) {
        Lease l = all.get(i);
        // A busy lease whose exchange never gave it back (it ended without a clean end and the
        // connection stayed open) counts as idle too once nothing runs on it.
        if (l.connection != null && l.connection.activeStreams() == 0 && now - l.lastUsed > idleNanos) {
          l.leave();
          l.connection.close();
        }
      }
    }
  }

  /** Closes every connection (the verticle stops). */
  Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    List<Future<Void>> closing = new ArrayList<>();
    for (List<Lease> all : byBackend.values()) {
      for (Lease l : new ArrayList<>(all)) {
        l.leave();
        if (l.connection != null) {
          closing.add(l.connection.close());
        }
      }
    }
    return Future.join(closing).mapEmpty();
  }

  /** One connection of the set; while busy it belongs to one exchange. */
  static final class Lease {
    private final List<Lease> owner;
    private Future<HttpClientConnection> connecting;
    private HttpClientConnection connection;
    private boolean busy = true;
    private boolean member = true;
    private long lastUsed = System.nanoTime();

    private Lease(List<Lease> owner) {
      this.owner = owner;
    }

    /** The exchange's request on this connection. */
    Future<HttpClientRequest> request(RequestOptions options) {
      if (connection != null) {
        return connection.request(options);
      }
      return connecting.compose(c -> c.request(options));
    }

    private void take() {
      busy = true;
      lastUsed = System.nanoTime();
    }

    /** The exchange ended cleanly and the connection stays open: the next request may have it. */
    void release() {
      lastUsed = System.nanoTime();
      busy = false;
    }

    /** The connection is someone else's now (an upgrade made it a tunnel): never hand it out or close it. */
    void detach() {
      leave();
    }

    private void leave() {
      busy = true;
      if (member) {
        member = false;
        owner.remove(this);
      }
    }
  }
}
