package io.tandem.backend;

import io.tandem.config.BackendConfig;
import io.tandem.config.Durations;
import io.tandem.config.HealthConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.UnknownHostException;

/**
 * The check loop of one backend: GET the health path, judge the answer, count it through {@link
 * RiseFall}, tell the pool when the verdict flips, and start the next check one interval after
 * this one started (or at once if it took longer), never while one is still running. Runs on the
 * checker's context only, so its fields need no synchronisation.
 */
final class HealthProbe {
  private static final System.Logger LOG = System.getLogger(HealthProbe.class.getName());

  private final Vertx vertx;
  private final BackendPool pool;
  private final BackendConfig backend;
  private final HealthConfig config;
  private final RequestOptions options;
  private final RiseFall verdict;
  private final long intervalMs;
  private final long timeoutMs;

  private HttpClient client;
  private boolean running;
  private long timer = -1;
  private final HealthChecker.CheckListener results;

  HealthProbe(Vertx vertx, BackendPool pool, BackendConfig backend, HealthConfig config) {
    this(vertx, pool, backend, config, (id, good) -> {});
  }

  HealthProbe(Vertx vertx, BackendPool pool, BackendConfig backend, HealthConfig config,
      HealthChecker.CheckListener results) {
    this.results = results;
    this.vertx = vertx;
    this.pool = pool;
    this.backend = backend;
    this.config = config;
    this.verdict = new RiseFall(config.rise(), config.fall());
    this.intervalMs = Math.max(1, config.interval().toMillis());
    this.timeoutMs = Math.max(1, config.timeout().toMillis());
    String host = backend.host();
    this.options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        // URI keeps IPv6 literals in brackets; the socket wants the bare address, Host the brackets.
        .setHost(host.startsWith("[") ? host.substring(1, host.length() - 1) : host)
        .setPort(backend.port())
        .setSsl(backend.tls())
        .setURI(config.path())
        // No connection-wait timeout: each check's own deadline covers it, and Vert.x 5.0.7's can
        // hang the request instead of failing it (see io.tandem.http.OneShotExchange).
        .putHeader(HttpHeaders.HOST, host + ":" + backend.port())
        .putHeader(HttpHeaders.USER_AGENT, "tandem-health");
  }

  void start(HttpClient client) {
    this.client = client;
    running = true;
    runCheck();
  }

  void stop() {
    running = false;
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void runCheck() {
    timer = -1;
    long started = System.nanoTime();
    check().onSuccess(result -> {
      if (!running) {
        return; // stopped meanwhile: the pool no longer listens to this checker
      }
      judge(result);
      long tookMs = (System.nanoTime() - started) / 1_000_000;
      timer = vertx.setTimer(Math.max(1, intervalMs - tookMs), t -> runCheck());
    });
  }

  private void judge(Result result) {
    results.checked(backend.id(), result.good);
    if (!result.good) {
      LOG.log(Level.DEBUG, "{0}: health check failed: {1}", backend.id(), result.detail);
    }
    if (verdict.record(result.good)) {
      int streak = verdict.up() ? config.rise() : config.fall();
      pool.reportHealth(backend.id(), verdict.up(), result.detail + " (" + streak + " in a row)");
    }
  }

  /** One check; always succeeds, with the verdict and a detail an operator can read. */
  private Future<Result> check() {
    Promise<Result> done = Promise.promise();
    // This check's request once there is one; a late answer to a timed-out check must not touch
    // the next check's request, so it is per check rather than a field.
    HttpClientRequest[] request = new HttpClientRequest[1];
    // Our own deadline covers connect, TLS, headers and body alike; the client's timeouts don't.
    long deadline = vertx.setTimer(timeoutMs, t -> {
      if (done.tryComplete(new Result(false, "timeout after " + Durations.format(config.timeout())))
          && request[0] != null) {
        request[0].reset(); // frees the connection of a backend that never answers
      }
    });
    client.request(options)
        .compose(req -> {
          request[0] = req;
          return req.send();
        })
        .compose(resp -> resp.end().map(v -> resp.statusCode()))
        .onComplete(ar -> {
          vertx.cancelTimer(deadline);
          done.tryComplete(ar.succeeded()
              ? new Result(config.expected(ar.result()), "HTTP " + ar.result())
              : new Result(false, describe(ar.cause())));
        });
    return done.future();
  }

  private static String describe(Throwable failure) {
    if (failure instanceof ConnectException) {
      String message = String.valueOf(failure.getMessage());
      return message.contains("refused") ? "connect refused" : "connect failed: " + message;
    }
    if (failure instanceof UnknownHostException) {
      return "unknown host";
    }
    return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
  }

  private record Result(boolean good, String detail) {}
}
