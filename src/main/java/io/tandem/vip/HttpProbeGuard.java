package io.tandem.vip;

import io.tandem.config.HostPort;
import io.tandem.http.OneShotExchange;
import io.tandem.proxy.ProbeResponder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.net.ConnectException;
import java.time.Duration;

/**
 * The guard for the {@code bind} driver: a TCP connect to the VIP (refused: nobody holds it), then
 * an HTTP probe of the holder's data path with a short timeout. A frozen process's kernel still
 * completes the TCP handshake, so only the HTTP answer tells alive from frozen.
 */
public final class HttpProbeGuard implements TakeoverGuard {
  private final HostPort vip;
  private final NetClient net;
  private final HttpClient http;
  private final long timeoutMs;
  private final long confirmTimeoutMs;

  /**
   * @param timeout how long the probe waits for the holder's answer
   * @param confirmTimeout the same for a {@link #confirm}: a holder that answered before and
   *     missed one probe gets this long (at least {@code timeout}) before it counts as hung
   */
  public HttpProbeGuard(Vertx vertx, HostPort vip, Duration timeout, Duration confirmTimeout) {
    this.vip = vip;
    this.timeoutMs = Math.max(20, timeout.toMillis());
    this.confirmTimeoutMs = Math.max(timeoutMs, confirmTimeout.toMillis());
    this.net = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) timeoutMs));
    // Fresh connections only: a pooled one could reach a holder that has since gone.
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
        .setConnectTimeout((int) timeoutMs), new PoolOptions().setHttp1MaxSize(4));
  }

  @Override
  public Future<GuardVerdict> check() {
    return check(timeoutMs);
  }

  @Override
  public Future<GuardVerdict> confirm() {
    return check(confirmTimeoutMs);
  }

  private Future<GuardVerdict> check(long probeTimeoutMs) {
    // A confirmation's connect may take as long as its answer: a busy holder accepts late too.
    return net.connect(new ConnectOptions().setHost(vip.host()).setPort(vip.port()).setTimeout((int) probeTimeoutMs))
        .transform(ar -> {
          if (ar.failed()) {
            // Refused (or unreachable): no socket listens on the VIP.
            return Future.succeededFuture(ar.cause() instanceof ConnectException ? GuardVerdict.FREE
                : GuardVerdict.HELD_UNRESPONSIVE);
          }
          ar.result().close();
          return probe(probeTimeoutMs);
        });
  }

  private Future<GuardVerdict> probe(long probeTimeoutMs) {
    RequestOptions probe = new RequestOptions().setHost(vip.host()).setPort(vip.port()).setMethod(HttpMethod.GET)
        .setURI(ProbeResponder.PATH);
    // Bounded on its own: a probe that never ended would leave the takeover waiting for good.
    return OneShotExchange.run(http, probe, probeTimeoutMs,
            req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
        .transform(ar -> Future.succeededFuture(ar.succeeded() && ar.result() == 200
            ? GuardVerdict.HELD_ALIVE : GuardVerdict.HELD_UNRESPONSIVE));
  }

  public Future<Void> close() {
    return Future.all(net.close(), http.close()).mapEmpty();
  }
}
