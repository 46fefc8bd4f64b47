package io.tandem.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.config.BackendConfig;
import io.tandem.config.HealthConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real Vert.x backends on 127.0.0.1, checked every 50ms. */
class HealthCheckerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private Vertx vertx;
  private HealthChecker checker;
  private final RecordingListener listener = new RecordingListener();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (checker != null) {
      get(checker.stop());
    }
    get(vertx.close());
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private HttpServer server(HttpServerOptions options, Handler<HttpServerRequest> handler) throws Exception {
    return get(vertx.createHttpServer(options).requestHandler(handler).listen(0, "127.0.0.1"));
  }

  private static HealthConfig health(Duration timeout, int rise, int fall) {
    return new HealthConfig("/health", Duration.ofMillis(50), timeout, rise, fall, 200, 399);
  }

  /** Starts checking one backend "b" at {@code url}; returns the pool. */
  private BackendPool check(String url, HealthConfig config) throws Exception {
    List<BackendConfig> backends = List.of(new BackendConfig("b", URI.create(url), 1));
    BackendPool pool = BackendPool.create(backends, Pools.NO_EJECTION, System::currentTimeMillis);
    pool.addListener(listener);
    checker = new HealthChecker(vertx, pool, config, backends);
    get(checker.start());
    return pool;
  }

  @Test
  void marksBackendDownAfterFallFailuresAndUpAfterRiseSuccesses() throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    AtomicInteger checks = new AtomicInteger();
    HttpServer server = server(new HttpServerOptions(), req -> {
      checks.incrementAndGet();
      req.response().setStatusCode(status.get()).end("ok");
    });
    Backend b = check("http://127.0.0.1:" + server.actualPort(), health(Duration.ofMillis(500), 2, 2))
        .byId("b").orElseThrow();
    await().atMost(WAIT).until(() -> checks.get() >= 3);
    assertThat(b.state()).isEqualTo(BackendState.UP);

    status.set(503);
    await().atMost(WAIT).until(() -> b.state() == BackendState.DOWN);
    assertThat(b.healthy()).isFalse();

    status.set(200);
    await().atMost(WAIT).until(() -> b.state() == BackendState.UP);

    assertThat(listener.events).containsExactly(
        "b UP->DOWN: health check failed: HTTP 503 (2 in a row)",
        "b DOWN->UP: health check passed: HTTP 200 (2 in a row)");
  }

  @Test
  void sendsHealthPathWithHostAndUserAgent() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    HttpServer server = server(new HttpServerOptions(), req -> {
      seen.compareAndSet(null, req.method() + " " + req.uri() + " host=" + req.headers().get("Host")
          + " ua=" + req.headers().get("User-Agent"));
      req.response().end();
    });
    int port = server.actualPort();
    check("http://127.0.0.1:" + port, health(Duration.ofMillis(500), 1, 1));

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(seen.get()).isEqualTo("GET /health host=127.0.0.1:" + port + " ua=tandem-health"));
  }

  @Test
  void unexpectedStatusCountsAsBad() throws Exception {
    HttpServer server = server(new HttpServerOptions(), req -> req.response().setStatusCode(404).end());
    check("http://127.0.0.1:" + server.actualPort(), health(Duration.ofMillis(500), 1, 1));

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(listener.events).containsExactly("b UP->DOWN: health check failed: HTTP 404 (1 in a row)"));
  }

  @Test
  void reportsConnectionRefusedWhenTheBackendIsClosed() throws Exception {
    HttpServer server = server(new HttpServerOptions(), req -> req.response().end());
    int port = server.actualPort();
    get(server.close());

    check("http://127.0.0.1:" + port, health(Duration.ofMillis(500), 1, 2));

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(listener.events).containsExactly("b UP->DOWN: health check failed: connect refused (2 in a row)"));
  }

  @Test
  void reportsTimeoutWhenTheBackendNeverAnswers() throws Exception {
    HttpServer server = server(new HttpServerOptions(), req -> {
      // Never answers: a hung application behind a live socket.
    });
    check("http://127.0.0.1:" + server.actualPort(), health(Duration.ofMillis(100), 1, 2));

    await().atMost(WAIT).untilAsserted(() ->
        assertThat(listener.events).containsExactly("b UP->DOWN: health check failed: timeout after 100ms (2 in a row)"));
  }

  @Test
  void checksHttpsBackendsWithPrivateCertificates() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.create();
    AtomicInteger checks = new AtomicInteger();
    HttpServer server = server(
        new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()),
        req -> {
          checks.incrementAndGet();
          req.response().setStatusCode(checks.get() < 3 ? 200 : 500).end();
        });
    // A generous timeout: the first TLS handshake of a cold JVM can take a second on a busy machine.
    check("https://127.0.0.1:" + server.actualPort(), health(Duration.ofSeconds(5), 1, 1));

    // Goes down only because of the 500: the TLS handshakes themselves succeeded.
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(listener.events).containsExactly("b UP->DOWN: health check failed: HTTP 500 (1 in a row)"));
  }

  @Test
  void stopEndsTheChecks() throws Exception {
    AtomicInteger checks = new AtomicInteger();
    HttpServer server = server(new HttpServerOptions(), req -> {
      checks.incrementAndGet();
      req.response().end();
    });
    check("http://127.0.0.1:" + server.actualPort(), health(Duration.ofMillis(500), 1, 1));
    await().atMost(WAIT).until(() -> checks.get() >= 2);

    get(checker.stop());
    checker = null;
    // A check sent just before stop() may still reach the server; let it land first.
    await().pollDelay(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> true);
    int after = checks.get();

    // Longer than the 500 ms interval: a running checker would have checked again.
    await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() -> checks.get() == after);
  }

  @Test
  void startingTwiceFails() throws Exception {
    HttpServer server = server(new HttpServerOptions(), req -> req.response().end());
    check("http://127.0.0.1:" + server.actualPort(), health(Duration.ofMillis(500), 1, 1));

    assertThat(checker.start().failed()).isTrue();
  }
}
