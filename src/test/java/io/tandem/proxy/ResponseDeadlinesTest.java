package io.tandem.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResponseDeadlinesTest {
  final Vertx vertx = Vertx.vertx();
  final List<String> expired = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void runsEveryUncancelledExpiryInOrderAndSkipsTheCancelled() {
    vertx.runOnContext(v -> {
      ResponseDeadlines d = new ResponseDeadlines(vertx, 50, System::nanoTime);
      d.start(() -> expired.add("a"));
      ResponseDeadlines.Entry b = d.start(() -> expired.add("b"));
      d.start(() -> expired.add("c"));
      d.cancel(b);
      d.cancel(b);
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> expired.size() == 2);
    assertThat(expired).containsExactly("a", "c");
  }

  @Test
  void keepsTimingAfterTheListEmptiedAndFilledAgain() {
    vertx.runOnContext(v -> {
      ResponseDeadlines d = new ResponseDeadlines(vertx, 30, System::nanoTime);
      d.cancel(d.start(() -> expired.add("cancelled")));
      vertx.setTimer(100, t -> d.start(() -> expired.add("late")));
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> expired.size() == 1);
    assertThat(expired).containsExactly("late");
  }

  @Test
  void aFailingExpiryDoesNotStopTheOnesBehindIt() {
    vertx.runOnContext(v -> {
      ResponseDeadlines d = new ResponseDeadlines(vertx, 30, System::nanoTime);
      d.start(() -> {
        throw new IllegalStateException("boom");
      });
      vertx.setTimer(5, t -> d.start(() -> expired.add("next")));
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> expired.size() == 1);
  }
}
