package io.tandem.proxy;

import io.tandem.config.ListenConfig;
import io.tandem.config.TandemConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One event loop's share of the frontends: its own backend connection pool and one server per
 * listener (Vert.x spreads the accepted connections of a shared port over the instances).
 */
final class ProxyVerticle extends VerticleBase {
  private final ProxyFrontends owner;
  private final TandemConfig config;
  private final List<ListenConfig> listeners;
  private final boolean reusePort;
  private final BiConsumer<Integer, HttpServer> register;
  private HttpClient client;
  private long beatTimer = -1;

  /**
   * @param listeners the listeners this deployment serves (the config's, or the VIP's)
   * @param reusePort bind with SO_REUSEPORT, so a new MASTER can bind the VIP while a frozen old one
   *     still holds its socket
   */
  ProxyVerticle(ProxyFrontends owner, TandemConfig config, List<ListenConfig> listeners, boolean reusePort,
      BiConsumer<Integer, HttpServer> register) {
    this.owner = owner;
    this.config = config;
    this.listeners = listeners;
    this.reusePort = reusePort;
    this.register = register;
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
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(2048).setMaxWaitQueueSize(-1);
    client = vertx.createHttpClient(clientOptions, pool);
    List<Future<HttpServer>> listening = new ArrayList<>();
    for (int i = 0; i < listeners.size(); i++) {
      ListenConfig listen = listeners.get(i);
      HttpServerOptions options = ServerOptionsFactory.create(listen, config).setReusePort(reusePort);
      int index = i;
      String label = listen.address().toString();
      HttpServer server = vertx.createHttpServer(options);
      server.connectionHandler(conn -> {
        StrictRequestDecoder.install(conn, options);
        owner.observer().connectionOpened(label);
        conn.closeHandler(v -> owner.observer().connectionClosed(label));
      });
      server.requestHandler(new ProxyHandler(vertx, client, owner.pool(), owner.chooser(), config,
          owner.observer(), listen.tls().isPresent(), listen.address().port(), owner.drainSignal(),
          owner.probe()));
      listening.add(server.listen().onSuccess(s -> register.accept(index, s)));
    }
    LoopWatch watch = owner.loopWatch();
    watch.register(this);
    beatTimer = vertx.setPeriodic(LoopWatch.BEAT_MILLIS, t -> watch.beat(this));
    return Future.all(listening);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(beatTimer);
    owner.loopWatch().unregister(this);
    return client == null ? Future.succeededFuture() : client.close();
  }
}
