package io.tandem.proxy;

import io.tandem.backend.BackendPool;
import io.tandem.config.BackendConfig;
import io.tandem.config.HostPort;
import io.tandem.config.ListenConfig;
import io.tandem.config.TandemConfig;
import io.tandem.http.OneShotExchange;
import io.tandem.sticky.StickyPolicy;
import io.tandem.sticky.StickyTable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Sends requests through one event loop's data path before real users need it. A standby that has
 * never proxied a request meets its first users after a takeover with classes not yet loaded and
 * methods interpreted: on this project's 2-core test machine a cold node answered its first request
 * in about a second and its second in 150 ms, against 1-10 ms once warm; in a failover that is the
 * gap.
 *
 * <p>The requests go through a private listener on 127.0.0.1 (closed afterwards) to a stub backend
 * inside the node, with the loop's own backend connections and the same handler and exchange code
 * as the real listeners, but their own backend pool, throwaway sticky table and a silent observer:
 * nothing reaches the farm, the metrics or the replicated table.
 */
final class WarmUp {
  private static final int IN_PARALLEL = 2;
  private static final String PATH = "/.well-known/tandem/warm-up";
  private static final Buffer FORM = Buffer.buffer("user=warm-up&password=x");

  private final TandemConfig config;
  private final StickyPolicy policy;
  private final int requests;
  private final int stubPort;

  /**
   * @param config the node's config (limits, timeouts, sticky cookie)
   * @param stubPort where the stub backend listens on 127.0.0.1
   */
  WarmUp(TandemConfig config, StickyPolicy policy, int requests, int stubPort) {
    this.config = config;
    this.policy = policy;
    this.requests = requests;
    this.stubPort = stubPort;
  }

  /** A stub backend for the warm-up: answers every request with a small body and a session cookie. */
  static Future<HttpServer> stub(Vertx vertx, String cookie) {
    String setCookie = cookie + "=warmup; Path=/; HttpOnly";
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true))
        .requestHandler(r -> r.body().onComplete(b -> r.response().putHeader("Content-Type", "text/plain")
            .putHeader("Set-Cookie", setCookie).end("warm\n")))
        .listen();
  }

  /** Runs on the event loop whose backend connections it warms; completes with the requests that failed. */
  Future<Integer> run(Vertx vertx, BackendConnections connections) {
    // Not a valid backend id in a config (it starts with '-'): never one of the farm's connection sets.
    BackendConfig backend = new BackendConfig("-warm-up", URI.create("http://127.0.0.1:" + stubPort), 1);
    TandemConfig local = config.privateDataPath(
        List.of(new ListenConfig(new HostPort("127.0.0.1", 0), Optional.empty())), List.of(backend));
    BackendPool pool = BackendPool.create(local.backends(), local.passive(), System::currentTimeMillis);
    StickyTable table = StickyTable.local(config.sticky().idleTimeout(), 1024, System::currentTimeMillis);
    ProxyHandler handler = new ProxyHandler(vertx, connections, pool, new BackendChooser(pool, table, policy, r -> {}),
        local, ProxyObserver.NOOP, false, 0, ProxyHandler.DrainSignal.NEVER, null);
    HttpServerOptions options = ServerOptionsFactory.create(local.listen().get(0), local);
    HttpServer server = vertx.createHttpServer(options);
    // Wired as a VIP listener, with connection tracking of its own: a takeover's first users
    // arrive on the VIP.
    new ListenerWiring("warm-up", false, null, true).wire(server, options, ProxyObserver.NOOP, new VipConnections(),
        handler);
    // New connections only: after a takeover every user arrives on a new connection.
    HttpClient users = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false),
        new PoolOptions().setHttp1MaxSize(IN_PARALLEL));
    return server.listen().compose(s -> {
      Promise<Integer> done = Promise.promise();
      int[] state = new int[3]; // sent, finished, failed
      for (int i = 0; i < IN_PARALLEL; i++) {
        next(users, s.actualPort(), state, done);
      }
      return done.future();
    }).eventually(() -> Future.join(users.close(), server.close()));
  }

  private void next(HttpClient users, int port, int[] state, Promise<Integer> done) {
    if (state[0] >= requests) {
      return;
    }
    int i = state[0]++;
    // A quarter are POSTs with a body: the request body's way through is part of the path too.
    boolean post = i % 4 == 3;
    RequestOptions o = new RequestOptions().setHost("127.0.0.1").setPort(port)
        .setMethod(post ? HttpMethod.POST : HttpMethod.GET).setURI(PATH + "?i=" + i);
    if (i % 2 == 0) {
      // Half carry a session cookie: the sticky look-up and bind are part of the path too.
      o.putHeader("Cookie", config.sticky().cookie() + "=warmup" + (i % 16));
    }
    // Bounded on its own: one request that never ended would hold the node's start up for good.
    OneShotExchange.run(users, o, Duration.ofSeconds(5).toMillis(),
            req -> (post ? req.send(FORM) : req.send()).compose(resp -> resp.body().map(b -> resp.statusCode())))
        .onComplete(ar -> {
          if (ar.failed() || ar.result() != 200) {
            state[2]++;
          }
          if (++state[1] == requests) {
            done.complete(state[2]);
          } else {
            next(users, port, state, done);
          }
        });
  }
}
