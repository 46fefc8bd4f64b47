package io.tandem.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real exchanges with a Vert.x server on 127.0.0.1, on a client with keep-alive off. */
class OneShotExchangeTest {
  private Vertx vertx;
  private HttpClient client;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setConnectTimeout(1_000));
  }

  @AfterEach
  void tearDown() throws Exception {
    get(vertx.close());
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private int serve(io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> handler) throws Exception {
    HttpServer s = get(vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1"));
    return s.actualPort();
  }

  private Future<String> body(int port, long timeoutMs) {
    return OneShotExchange.run(client, new RequestOptions().setHost("127.0.0.1").setPort(port).setURI("/"),
        timeoutMs, req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode() + " " + b)));
  }

  @Test
  void anAnswerComesThrough() throws Exception {
    int port = serve(r -> r.response().end("hello"));
    assertThat(get(body(port, 1_000))).isEqualTo("200 hello");
  }

  @Test
  void anAnswerThatNeverEndsFailsAtTheDeadlineThoughItNeverFallsIdle() throws Exception {
    // A byte every 50 ms: the request's idle timeout (300 ms) never fires, the exchange's deadline does.
    int port = serve(r -> {
      r.response().setChunked(true).write("x");
      vertx.setPeriodic(50, t -> {
        if (r.response().closed()) {
          vertx.cancelTimer(t);
        } else {
          r.response().write("x");
        }
      });
    });
    long start = System.nanoTime();
    assertThatThrownBy(() -> get(body(port, 300))).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class);
    // Not a timing test: only that it was the deadline (600 ms), not the 10 s wait of get().
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
  }

  @Test
  void aSilentServerFailsAtTheIdleTimeout() throws Exception {
    int port = serve(r -> { });
    assertThatThrownBy(() -> get(body(port, 200))).isInstanceOf(ExecutionException.class);
  }

  @Test
  void leavesTheCallersOptionsAsTheyWere() throws Exception {
    int port = serve(r -> r.response().end("ok"));
    RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(port).setURI("/").setTimeout(700);
    Integer status = get(OneShotExchange.run(client, options, 1_000, req -> req.send().map(resp -> resp.statusCode())));
    assertThat(status).isEqualTo(200);
    assertThat(options.getTimeout()).isEqualTo(700);
    assertThat(options.getIdleTimeout()).isEqualTo(RequestOptions.DEFAULT_IDLE_TIMEOUT);
  }

  @Test
  void refusesANonPositiveTimeout() {
    assertThatThrownBy(() -> OneShotExchange.run(client, new RequestOptions(), 0, req -> req.send()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeoutMs: 0 (expected: > 0)");
  }
}
