package io.tandem.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.demo.DemoBackend;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a drill talks to the load with: the ready file appears once every user has logged in;
 * the stop file ends a long load early, and the report is the usual one (for drills of unknown length).
 */
class SessionLoadFilesTest {
  private Vertx vertx;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    port = new DemoBackend(vertx, "web1").start("127.0.0.1", 0).await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void readyFileThenStopFileEndsTheLoadWithAFullReport(@TempDir Path dir) throws Exception {
    Path stop = dir.resolve("stop");
    Path ready = dir.resolve("ready");
    long before = System.currentTimeMillis();
    var report = new SessionLoad(vertx, "127.0.0.1", port, 3, Duration.ofMinutes(10), 1_000_000,
        Duration.ofMillis(5), Duration.ofSeconds(2)).stopFile(stop).readyFile(ready).run();
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ready) && Files.size(ready) > 0);
    // Its content: when the load began, after the logins.
    assertThat(Long.parseLong(Files.readString(ready).trim())).isBetween(before, System.currentTimeMillis());
    assertThat(report.isComplete()).isFalse();
    Files.writeString(stop, "");
    DrillReport r = report.await(60, TimeUnit.SECONDS);

    assertThat(r.durationMs()).isLessThan(Duration.ofMinutes(5).toMillis());
    assertThat(r.sessions()).isEqualTo(3);
    assertThat(r.sessionsKept()).isEqualTo(3);
    assertThat(r.failed()).isZero();
  }
}
