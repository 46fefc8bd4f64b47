package io.tandem.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.testing.Http;
import io.tandem.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data path warm-up at start: every request goes through the node's own handler to its stub
 * backend and succeeds, and none of it shows anywhere an operator looks: not at the backends, not in
 * the request metrics, not in the sticky table.
 */
class WarmUpTest {
  Vertx vertx;
  HttpServer farm;
  final AtomicInteger farmRequests = new AtomicInteger();

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    // A backend of the farm that counts what is not a health check.
    farm = vertx.createHttpServer().requestHandler(r -> {
      if (!r.path().equals("/health")) {
        farmRequests.incrementAndGet();
      }
      r.response().end("ok");
    }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{mode: learn}", "{mode: insert}", "{mode: source}"})
  void warmsThroughTheDataPathAndLeavesNoTrace(String sticky) throws Exception {
    try (TestNode node = TestNode.builder(vertx).backends(0)
        .extraBackend("farm", "http://127.0.0.1:" + farm.actualPort()).sticky(sticky).warmUp(200).start()) {
      ProxyFrontends.WarmUpResult r = node.node().warmedUp().await(30, TimeUnit.SECONDS);

      assertThat(r.loops()).isEqualTo(1);
      assertThat(r.requestsPerLoop()).isEqualTo(200);
      assertThat(r.failed()).isZero();
      assertThat(farmRequests.get()).isZero();
      assertThat(node.node().table().size()).isZero();
      String scrape = node.node().metrics().scrape();
      assertThat(scrape).doesNotContainPattern("tandem_requests_total\\{[^}]*\\} [1-9]");
      // The farm's series exist from the start, at zero (nothing to register on the first burst).
      assertThat(scrape).containsPattern("tandem_requests_total\\{[^}]*backend=\"farm\"[^}]*\\} 0\\.0")
          .containsPattern("tandem_request_duration_seconds_count\\{[^}]*backend=\"farm\"[^}]*\\} 0")
          // So do the listener's (the warm-up's own connections are not counted).
          .containsPattern("tandem_frontend_connections\\{listener=\"127.0.0.1:0\"[^}]*\\} 0\\.0")
          .containsPattern("tandem_frontend_connections_opened_total\\{[^}]*\\} 0\\.0");

      // The real path works, and is what the metrics count.
      assertThat(new Http().get("http://127.0.0.1:" + node.port() + "/x").statusCode()).isEqualTo(200);
      assertThat(farmRequests.get()).isEqualTo(1);
      // Counted when the response has ended, which the client may see first.
      await().atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(node.node().metrics().backendTotals("farm")[0]).isEqualTo(1));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0})
  void zeroTurnsItOff(int requests) throws Exception {
    try (TestNode node = TestNode.builder(vertx).backends(1).warmUp(requests).start()) {
      ProxyFrontends.WarmUpResult r = node.node().warmedUp().await(10, TimeUnit.SECONDS);
      assertThat(r.loops()).isZero();
    }
  }
}
