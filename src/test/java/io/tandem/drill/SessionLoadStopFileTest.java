package io.tandem.drill;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The stop file ends a long load early, and the report is the usual one (for drills of unknown length). */
class SessionLoadStopFileTest {
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
  void stopFileEndsTheLoadWithAFullReport(@TempDir Path dir) throws Exception {
    Path stop = dir.resolve("stop");
    var report = new SessionLoad(vertx, "127.0.0.1", port, 3, Duration.ofMinutes(10), 1_000_000,
        Duration.ofMillis(5), Duration.ofSeconds(2)).stopFile(stop).run();
    Thread.sleep(300);
    Files.writeString(stop, "");
    DrillReport r = report.await(60, TimeUnit.SECONDS);

    assertThat(r.durationMs()).isLessThan(Duration.ofMinutes(5).toMillis());
    assertThat(r.sessions()).isEqualTo(3);
    assertThat(r.sessionsKept()).isEqualTo(3);
    assertThat(r.failed()).isZero();
  }
}
