package io.tandem.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drill's new visitors: only a good answer to a visitor sent after the mark ends the gap. */
class NewVisitorProbeTest {
  private Vertx vertx;
  private HttpServer server;
  private final AtomicBoolean serving = new AtomicBoolean(true);
  private final AtomicInteger visits = new AtomicInteger();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(r -> {
      visits.incrementAndGet();
      r.response().setStatusCode(serving.get() ? 200 : 503).end("ok\n");
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void goodAnswersBeforeTheMarkDoNotCount(@TempDir Path dir) throws Exception {
    Path mark = dir.resolve("mark");
    NewVisitorProbe probe = new NewVisitorProbe("127.0.0.1", server.actualPort(), mark);
    vertx.deployVerticle(probe).await(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> visits.get() >= 5);
    assertThat(probe.mark()).isEqualTo(-1);
    assertThat(probe.firstGoodAfterMark()).isEqualTo(-1);

    long at = System.currentTimeMillis();
    Files.writeString(mark, at + "\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> probe.firstGoodAfterMark() >= 0);
    assertThat(probe.mark()).isEqualTo(at);
    assertThat(probe.firstGoodAfterMark()).isGreaterThanOrEqualTo(at);
  }

  @Test
  void theGapLastsUntilTheFirstGoodAnswer(@TempDir Path dir) throws Exception {
    Path mark = dir.resolve("mark");
    serving.set(false);
    Files.writeString(mark, System.currentTimeMillis() + "\n");
    NewVisitorProbe probe = new NewVisitorProbe("127.0.0.1", server.actualPort(), mark);
    vertx.deployVerticle(probe).await(10, TimeUnit.SECONDS);
    // Visitors keep arriving while the service is down; none of their 503s ends the gap.
    int before = visits.get();
    await().atMost(Duration.ofSeconds(10)).until(() -> visits.get() >= before + 5);
    assertThat(probe.firstGoodAfterMark()).isEqualTo(-1);

    long back = System.currentTimeMillis();
    serving.set(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> probe.firstGoodAfterMark() >= 0);
    assertThat(probe.firstGoodAfterMark()).isGreaterThanOrEqualTo(back);
  }
}
