package io.tandem.drill;

import io.tandem.http.OneShotExchange;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;

/**
 * A new visitor every 10 ms ({@code GET /health} on a fresh connection), the way the anchors
 * measure a failover: the first good answer to a visitor who arrived after the drill's mark ends the
 * gap. A verticle of its own, so it runs on an event loop of its own: on the users' loop it waited
 * behind their failure storm (on a 2-core machine the loop took up to 150 ms to work through the
 * resets of a crash), and the gap it reported was partly the load generator's.
 */
final class NewVisitorProbe extends VerticleBase {
  private static final long EVERY_MS = 10;
  private static final long TIMEOUT_MS = 1000;
  private static final long MARK_POLL_MS = 2;

  private final String host;
  private final int port;
  private final Path markFile;
  private HttpClient probes;
  private long timer = -1;
  private boolean stopped;
  private volatile long mark = -1;
  private volatile long firstGoodAfterMark = -1;

  NewVisitorProbe(String host, int port, Path markFile) {
    this.host = host;
    this.port = port;
    this.markFile = markFile;
  }

  @Override
  public Future<?> start() {
    // Enough connections for a second of probes stuck on a frozen holder, so none waits in a queue.
    probes = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
        .setConnectTimeout((int) TIMEOUT_MS), new PoolOptions().setHttp1MaxSize(200));
    watchMark();
    timer = vertx.setPeriodic(EVERY_MS, t -> probe());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return probes.close();
  }

  /** The drill's mark (epoch ms), or -1 before it is read. */
  long mark() {
    return mark;
  }

  /** When the first good answer to a visitor sent at or after the mark came (epoch ms), or -1. */
  long firstGoodAfterMark() {
    return firstGoodAfterMark;
  }

  private void watchMark() {
    if (stopped) {
      return;
    }
    vertx.fileSystem().readFile(markFile.toString()).onComplete(ar -> {
      if (ar.succeeded() && ar.result().length() > 0) {
        try {
          mark = Long.parseLong(ar.result().toString().trim());
          return;
        } catch (NumberFormatException e) {
          // Half written: read again.
        }
      }
      vertx.setTimer(MARK_POLL_MS, t -> watchMark());
    });
  }

  private void probe() {
    long sentAt = System.currentTimeMillis();
    OneShotExchange.run(probes, new RequestOptions().setHost(host).setPort(port).setURI("/health"), TIMEOUT_MS,
            req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
        .onSuccess(status -> {
          long m = mark;
          if (status == 200 && m >= 0 && sentAt >= m && firstGoodAfterMark < 0) {
            firstGoodAfterMark = System.currentTimeMillis();
          }
        });
  }
}
