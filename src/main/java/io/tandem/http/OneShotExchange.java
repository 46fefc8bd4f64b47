package io.tandem.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One request and its answer on a client that opens a new connection per request (keep-alive off),
 * bounded by a deadline of its own.
 *
 * <p>Why not the request's own timeout: with keep-alive off, a Vert.x endpoint's pool closes when
 * its last connection does, and a request still waiting for its own connection then never
 * completes. The connection-wait timer that {@link RequestOptions#setTimeout} and {@link
 * RequestOptions#setConnectTimeout} arm should fail it, but in Vert.x 5.0.7 it throws a
 * NullPointerException when the pool is closed (eclipse-vertx/vert.x#6263, fixed after 5.0.7), so
 * the request hangs for good. CI saw it: the drill's load client waited 120 s for a request at a
 * failover. Here the request carries only an idle timeout (the client's TCP connect timeout still
 * applies), and the whole exchange fails with a {@link java.util.concurrent.TimeoutException} after
 * twice the timeout: a connect and an idle wait, as before.
 */
public final class OneShotExchange {
  private OneShotExchange() {}

  /**
   * Sends {@code options} on {@code client} and runs {@code exchange} on the request (send it, read
   * the answer).
   *
   * @param timeoutMs the idle timeout of the request; the whole exchange ends within twice that
   */
  public static <T> Future<T> run(HttpClient client, RequestOptions options, long timeoutMs,
      Function<HttpClientRequest, Future<T>> exchange) {
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("timeoutMs: " + timeoutMs + " (expected: > 0)");
    }
    RequestOptions o = new RequestOptions(options).setTimeout(RequestOptions.DEFAULT_TIMEOUT)
        .setConnectTimeout(RequestOptions.DEFAULT_CONNECT_TIMEOUT).setIdleTimeout(timeoutMs);
    return client.request(o).compose(exchange).timeout(2 * timeoutMs, TimeUnit.MILLISECONDS);
  }
}
