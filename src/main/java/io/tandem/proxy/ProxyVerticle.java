package io.tandem.proxy;

import io.tandem.config.ListenConfig;
import io.tandem.config.TandemConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.Promise;

/**
 * One event loop's share of the frontends: its own backend connection pool and one server per
 * listener (Vert.x spreads the accepted connections of a shared port over the instances).
 */
final class ProxyVerticle extends VerticleBase {
  private static final long VIP_GRACE_SECONDS = 5;
  /** Keep-alive connections per backend on one event loop (and again in the shared pool beyond them). */
  private static final int MAX_CONNECTIONS = 2048;
  private final ProxyFrontends owner;
  private final TandemConfig config;
  private HttpClientAgent client;
  private BackendConnections connections;
  private HttpServer vipServer;
  private long beatTimer = -1;
  private final VipConnections vipConnections = new VipConnections();
  /** The VIP when it arrives on the ordinary listeners (iproute2, script); null with bind or none. */
  private final String floating;
  /** How often a releasing VIP server closes connections that have become idle. */
  private static final long RELEASE_POLL_MS = 10;
  private static final long RELEASE_QUIET_MS = 100;
  /** How long a release waits for accepted connections to show their request before it stops accepting. */
  private static final long UNREAD_WAIT_MS = 200;

  ProxyVerticle(ProxyFrontends owner, TandemConfig config) {
    this.owner = owner;
    this.config = config;
    this.floating = config.vip().filter(v -> v.driver() != io.tandem.config.VipDriver.BIND)
        .map(v -> v.address().host()).orElse(null);
  }

  @Override
  public Future<?> start() {
    HttpClientOptions clientOptions = new HttpClientOptions()
        .setKeepAlive(true)
        .setTcpNoDelay(true)
        .setConnectTimeout((int) config.timeouts().connect().toMillis())
        // Backends sit on the operator's private network with their own certificates; verifying
        // them needs a configured CA, which a later config key will bring.
        .setTrustAll(true)
        .setVerifyHost(false)
        .setMaxInitialLineLength(config.limits().maxUriBytes() + 64)
        .setMaxHeaderSize(Math.max(config.limits().maxHeaderBytes(), 16384) * 2)
        .setDecompressionSupported(false);
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS).setMaxWaitQueueSize(-1);
    client = vertx.createHttpClient(clientOptions, pool);
    connections = new BackendConnections(vertx, client, MAX_CONNECTIONS, config.timeouts().connect().toMillis(),
        clientOptions.getKeepAliveTimeout() * 1000L);
    List<Future<HttpServer>> listening = new ArrayList<>();
    for (int i = 0; i < config.listen().size(); i++) {
      int index = i;
      listening.add(listen(config.listen().get(i), false).onSuccess(s -> owner.register(index, s)));
    }
    LoopWatch watch = owner.loopWatch();
    watch.register(this);
    beatTimer = vertx.setPeriodic(LoopWatch.BEAT_MILLIS, t -> watch.beat(this));
    owner.registerVerticle(this);
    return Future.all(listening);
  }

  private Future<HttpServer> listen(ListenConfig listen, boolean reusePort) {
    return listen(listen, reusePort, false);
  }

  private Future<HttpServer> listen(ListenConfig listen, boolean reusePort, boolean vip) {
    HttpServerOptions options = ServerOptionsFactory.create(listen, config).setReusePort(reusePort);
    HttpServer server = vertx.createHttpServer(options);
    ProxyHandler handler = new ProxyHandler(vertx, connections, owner.pool(), owner.chooser(), config,
        owner.observer(), listen.tls().isPresent(), listen.address().port(), owner.drainSignal(),
        owner.probe());
    new ListenerWiring(listen.address().toString(), listen.tls().isPresent(), floating, vip)
        .wire(server, options, owner.observer(), vipConnections, handler);
    return server.listen();
  }

  /**
   * Serves the VIP on this event loop too, with this loop's warm backend connections. SO_REUSEPORT
   * lets a new MASTER bind while a frozen old one still holds its socket (the kernel also spreads
   * the accepted connections over this node's loops).
   */
  Future<Void> startVip(ListenConfig vip) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (vipServer != null) {
        done.complete();
        return;
      }
      listen(vip, true, true).onComplete(ar -> {
        if (ar.succeeded()) {
          vipServer = ar.result();
          done.complete();
        } else {
          done.fail(ar.cause());
        }
      });
    });
    return done.future();
  }

  /** Warms this event loop's data path (see {@link WarmUp}); completes with the requests that failed. */
  Future<Integer> warmUp(WarmUp warmUp) {
    Promise<Integer> done = Promise.promise();
    context.runOnContext(v -> warmUp.run(vertx, connections).onComplete(done));
    return done.future();
  }

  /** Closes the VIP connections with no request in progress (on this loop, where they live). */
  void closeIdleVipConnections() {
    context.runOnContext(v -> vipConnections.closeIdle());
  }

  /** Requests in progress on the VIP, and VIP connections accepted whose request has not begun. */
  int vipInFlight() {
    return vipConnections.inFlight() + vipConnections.unread();
  }

  Future<Void> stopVip() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      HttpServer s = vipServer;
      vipServer = null;
      if (s == null) {
        done.complete();
      } else {
        long now = System.nanoTime();
        closeListenerWhenRead(s, now + UNREAD_WAIT_MS * 1_000_000, now + VIP_GRACE_SECONDS * 1_000_000_000L, done);
      }
    });
    return done.future();
  }

  /** Stops accepting once every accepted connection has begun its request (or the wait is over). */
  private void closeListenerWhenRead(HttpServer s, long waitNanos, long deadlineNanos, Promise<Void> done) {
    if (vipConnections.hasUnread() && System.nanoTime() < waitNanos) {
      vertx.setTimer(1, t -> closeListenerWhenRead(s, waitNanos, deadlineNanos, done));
      return;
    }
    if (!vipConnections.closeListener()) {
      // Never accepted a connection: nothing of anyone's to lose.
      s.close().onComplete(done);
      return;
    }
    // Released as far as the election goes: nothing new arrives here. The accepted connections
    // finish in the background, so that a handoff back to this node need not wait for them.
    done.complete();
    finishVip(s, deadlineNanos, new long[] {System.nanoTime()}, Promise.promise());
  }

  /**
   * Closes connections as they become idle; closes the server once none has been open for {@link
   * #RELEASE_QUIET_MS} (a connection accepted just before the listener closed reaches the connection
   * handler a little later: closing the server then would reset it) or at the deadline.
   */
  private void finishVip(HttpServer s, long deadlineNanos, long[] emptySince, Promise<Void> done) {
    vipConnections.closeIdle();
    long now = System.nanoTime();
    if (!vipConnections.isEmpty()) {
      emptySince[0] = now;
    }
    if (now - emptySince[0] >= RELEASE_QUIET_MS * 1_000_000 || now >= deadlineNanos) {
      s.close().onComplete(done);
      return;
    }
    vertx.setTimer(RELEASE_POLL_MS, t -> finishVip(s, deadlineNanos, emptySince, done));
  }

  @Override
  public Future<?> stop() {
    owner.unregisterVerticle(this);
    vertx.cancelTimer(beatTimer);
    owner.loopWatch().unregister(this);
    if (client == null) {
      return Future.succeededFuture();
    }
    return connections.close().eventually(() -> client.close());
  }
}
