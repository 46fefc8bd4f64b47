package io.tandem.proxy;

import io.tandem.backend.BackendPool;
import io.tandem.config.BackendConfig;
import io.tandem.config.TandemConfig;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Entry of the data path for one frontend on one event loop: refuses what must not pass, then hands
 * the request to an {@link Exchange} that forwards it. Holds what every exchange shares.
 */
final class ProxyHandler implements Handler<HttpServerRequest> {
  final Vertx vertx;
  final BackendConnections connections;
  final BackendPool pool;
  final BackendChooser chooser;
  final RequestGuard guard;
  final ProxyObserver observer;
  final Map<String, SocketAddress> addresses = new HashMap<>();
  final long responseTimeoutMs;
  final int connectRetries;
  final int maxUriBytes;
  final String scheme;
  final String port;
  final DrainSignal drain;
  final ProbeResponder probe;
  final ResponseDeadlines deadlines;

  ProxyHandler(Vertx vertx, BackendConnections connections, BackendPool pool, BackendChooser chooser,
      TandemConfig config, ProxyObserver observer, boolean tls, int port, DrainSignal drain, ProbeResponder probe) {
    this.vertx = vertx;
    this.connections = connections;
    this.pool = pool;
    this.chooser = chooser;
    this.guard = new RequestGuard(config.limits());
    this.observer = observer;
    this.responseTimeoutMs = config.timeouts().response().toMillis();
    this.connectRetries = config.retries().connect();
    this.maxUriBytes = config.limits().maxUriBytes();
    this.scheme = tls ? "https" : "http";
    // Port 0 (tests) is only known per connection; Exchange then asks the socket.
    this.port = port == 0 ? null : Integer.toString(port);
    this.drain = drain;
    this.probe = probe;
    this.deadlines = new ResponseDeadlines(vertx, responseTimeoutMs, System::nanoTime);
    for (BackendConfig b : config.backends()) {
      addresses.put(b.id(), SocketAddress.inetSocketAddress(b.port(), b.host()));
    }
  }

  @Override
  public void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    if (request.uri().length() > maxUriBytes) {
      Exchange.refuse(request, 414, "URI over limits.max-uri-bytes", observer);
      return;
    }
    if (probe != null && ProbeResponder.PATH.equals(request.path()) && probeAllowed(request)) {
      request.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
          .end(probe.answer());
      return;
    }
    RequestGuard.Refusal refusal = guard.check(request);
    if (refusal != null) {
      Exchange.refuse(request, refusal.status(), refusal.reason(), observer);
      return;
    }
    request.pause();
    new Exchange(this, request, start).begin();
  }

  private boolean probeAllowed(HttpServerRequest request) {
    io.vertx.core.net.SocketAddress peer = request.remoteAddress();
    java.net.InetAddress a = peer == null ? null : Addresses.of(peer);
    return a != null && probe.allowed(a);
  }

  /** Tells the data path that this node is handing over: responses then close their connections. */
  @FunctionalInterface
  interface DrainSignal {
    DrainSignal NEVER = () -> false;

    boolean draining();
  }
}
