package io.tandem.backend;

import io.tandem.config.BackendConfig;
import io.tandem.config.HealthConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Active health checks: every {@code interval}, a {@code GET path} to each backend (its own
 * scheme, {@code Host: host:port}, {@code User-Agent: tandem-health}) that must answer within
 * {@code timeout} with an expected status. Rise/fall counting lives here (one {@link RiseFall} per
 * backend); the pool hears only verdict changes through {@link BackendPool#reportHealth}. Each
 * backend's checks run one after another, never overlapping, all on one Vert.x context.
 *
 * <p>Start once, stop once. Every check opens a fresh connection (no keep-alive), as HAProxy does:
 * a backend that stopped accepting connections must fail its check even while an old connection
 * still works.
 */
public final class HealthChecker {
  private final Vertx vertx;
  private final HealthConfig config;
  private final List<HealthProbe> probes = new ArrayList<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile Context context;
  private HttpClient client;

  public HealthChecker(Vertx vertx, BackendPool pool, HealthConfig config, List<BackendConfig> backends) {
    this(vertx, pool, config, backends, (id, good) -> {});
  }

  /** @param results hears every single check's result (before rise/fall), for metrics */
  public HealthChecker(Vertx vertx, BackendPool pool, HealthConfig config, List<BackendConfig> backends,
      CheckListener results) {
    this.vertx = vertx;
    this.config = config;
    for (BackendConfig b : backends) {
      probes.add(new HealthProbe(vertx, pool, b, config, results));
    }
  }

  /** One check's raw result. */
  @FunctionalInterface
  public interface CheckListener {
    void checked(String backendId, boolean good);
  }

  /** Starts checking every backend at once; fails if already started. */
  public Future<Void> start() {
    if (!started.compareAndSet(false, true)) {
      return Future.failedFuture(new IllegalStateException("health checker already started"));
    }
    Context ctx = vertx.getOrCreateContext();
    context = ctx;
    Promise<Void> promise = Promise.promise();
    ctx.runOnContext(v -> {
      int timeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, config.timeout().toMillis()));
      HttpClientOptions options = new HttpClientOptions()
          .setKeepAlive(false)
          .setConnectTimeout(timeoutMs)
          // Backends sit on the private network with private or self-signed certificates; the
          // check asks "does it answer", not "is it who it claims to be" (the proxy decides that).
          .setTrustAll(true)
          .setVerifyHost(false);
      client = vertx.createHttpClient(options, new PoolOptions());
      probes.forEach(p -> p.start(client));
      promise.complete();
    });
    return promise.future();
  }

  /** Stops the checks (a check under way finishes unheard) and closes the client. */
  public Future<Void> stop() {
    Context ctx = context;
    if (ctx == null) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    ctx.runOnContext(v -> {
      probes.forEach(HealthProbe::stop);
      client.close().onComplete(promise);
    });
    return promise.future();
  }
}
