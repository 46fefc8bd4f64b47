package io.tandem.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.HostPort;
import io.tandem.proxy.ProbeResponder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bind driver's guard against real sockets on 127.0.0.1: free, alive, and late holders. */
class HttpProbeGuardTest {
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    get(vertx.close());
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A holder whose data path answers the probe after {@code delayMs}. */
  private HostPort holder(long delayMs) throws Exception {
    HttpServer s = get(vertx.createHttpServer().requestHandler(r -> {
      if (!ProbeResponder.PATH.equals(r.path())) {
        r.response().setStatusCode(404).end();
      } else if (delayMs == 0) {
        r.response().end("{}");
      } else {
        vertx.setTimer(delayMs, t -> r.response().end("{}"));
      }
    }).listen(0, "127.0.0.1"));
    return HostPort.parse("127.0.0.1:" + s.actualPort());
  }

  private HttpProbeGuard guard(HostPort vip) {
    return new HttpProbeGuard(vertx, vip, Duration.ofMillis(150), Duration.ofMillis(2000));
  }

  @Test
  void nobodyListeningIsFree() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    assertThat(get(guard(HostPort.parse("127.0.0.1:" + port)).check())).isEqualTo(GuardVerdict.FREE);
  }

  @Test
  void aHolderThatAnswersIsAlive() throws Exception {
    assertThat(get(guard(holder(0)).check())).isEqualTo(GuardVerdict.HELD_ALIVE);
  }

  @Test
  void aLateAnswerMissesTheCheckButNotTheConfirmation() throws Exception {
    HttpProbeGuard g = guard(holder(600));
    assertThat(get(g.check())).isEqualTo(GuardVerdict.HELD_UNRESPONSIVE);
    assertThat(get(g.confirm())).isEqualTo(GuardVerdict.HELD_ALIVE);
  }
}
