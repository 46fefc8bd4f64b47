package io.tandem.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runner's own rules: timeouts kill, and a command whose moment passed (a pause) is not run. */
class ProcessCommandRunnerTest {
  final ProcessCommandRunner runner = new ProcessCommandRunner("test", true, List.of());

  CommandRunner.Result run(io.vertx.core.Future<CommandRunner.Result> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aCommandQueuedBeforeAPauseIsNotRunAfterIt() throws Exception {
    // The first command holds the (ordered) runner past the second one's start-by moment, as a
    // frozen process would.
    var slow = runner.run(List.of("sleep", "0.3"), Duration.ofSeconds(5));
    var stale = runner.runIfBefore(List.of("true"), Duration.ofSeconds(5), System.nanoTime() + 100_000_000L);
    assertThat(run(slow).ok()).isTrue();
    CommandRunner.Result r = run(stale);
    assertThat(r.skipped()).isTrue();
    assertThat(r.ok()).isFalse();
    assertThat(r.describe()).isEqualTo("true: not run (too late: the process was paused)");
    assertThat(run(runner.runIfBefore(List.of("true"), Duration.ofSeconds(5), System.nanoTime() + 5_000_000_000L)).ok())
        .isTrue();
  }

  @Test
  void aCommandOverItsTimeoutIsKilled() throws Exception {
    CommandRunner.Result r = run(runner.run(List.of("sleep", "30"), Duration.ofMillis(200)));
    assertThat(r.timedOut()).isTrue();
    assertThat(r.describe()).isEqualTo("sleep 30: timed out (killed)");
  }
}
