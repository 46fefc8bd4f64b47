package io.tandem.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's own rules: timeouts kill, a command whose moment passed (a pause) is not run, and a
 * primed command runs in the process held for it, which never runs it unasked.
 */
class ProcessCommandRunnerTest {
  final ProcessCommandRunner runner = new ProcessCommandRunner("test", true, List.of());

  @AfterEach
  void close() {
    runner.close();
  }

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

  /** Primes {@code cmd}, waits until a process is held for it, and returns that process's PID. */
  long primeAndAwait(List<String> cmd) {
    runner.prime(cmd);
    await().atMost(Duration.ofSeconds(10)).until(() -> runner.holds(cmd));
    return runner.heldPid();
  }

  @Test
  void aPrimedCommandRunsInTheProcessHeldForItAndAnotherIsHeldAfter() throws Exception {
    // "$$" of the command is the held process's PID: exec replaces the holding shell.
    List<String> pid = List.of("sh", "-c", "echo $$");
    long held = primeAndAwait(pid);
    CommandRunner.Result r = run(runner.run(pid, Duration.ofSeconds(5)));
    assertThat(r.ok()).isTrue();
    assertThat(r.output()).isEqualTo(Long.toString(held));
    assertThat(r.argv()).isEqualTo(pid);
    await().atMost(Duration.ofSeconds(10)).until(() -> runner.holds(pid) && runner.heldPid() != held);
  }

  @Test
  void anotherCommandIsSpawnedAsUsualAndLeavesTheHeldOne() throws Exception {
    List<String> primed = List.of("sh", "-c", "echo $$");
    long held = primeAndAwait(primed);
    CommandRunner.Result r = run(runner.run(List.of("sh", "-c", "echo other; exit 3"), Duration.ofSeconds(5)));
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.output()).isEqualTo("other");
    assertThat(runner.heldPid()).isEqualTo(held);
    assertThat(runner.holds(primed)).isTrue();
  }

  @Test
  void aHeldProcessExitsWithoutRunningItsCommandWhenTheRunnerCloses(@TempDir Path dir) throws Exception {
    Path ran = dir.resolve("ran");
    List<String> cmd = List.of("sh", "-c", "echo ran > " + ran);
    ProcessHandle held = ProcessHandle.of(primeAndAwait(cmd)).orElseThrow();
    runner.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !held.isAlive());
    assertThat(ran).doesNotExist();
    assertThat(runner.holds(cmd)).isFalse();
  }

  @Test
  void anIpCommandIsHeldAsIpBatchAndRunsItsLineThere() throws Exception {
    List<String> show = List.of("ip", "addr", "show", "dev", "lo");
    assertThat(ProcessCommandRunner.batchLine(show)).contains("addr show dev lo\n");
    long held = primeAndAwait(show);
    // The held process is ip itself, already exec'd, not a shell waiting to exec it.
    assertThat(ProcessHandle.of(held).flatMap(h -> h.info().command())).hasValueSatisfying(c -> assertThat(c).endsWith("/ip"));
    CommandRunner.Result r = run(runner.run(show, Duration.ofSeconds(5)));
    assertThat(r.ok()).isTrue();
    assertThat(r.output()).contains("127.0.0.1");
    assertThat(r.argv()).isEqualTo(show);
  }

  @Test
  void aFailingIpCommandRunInBatchFailsWithIpsOwnMessage() throws Exception {
    List<String> bad = List.of("ip", "addr", "show", "dev", "tandem-no-such-device");
    primeAndAwait(bad);
    CommandRunner.Result r = run(runner.run(bad, Duration.ofSeconds(5)));
    assertThat(r.ok()).isFalse();
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).contains("tandem-no-such-device");
  }

  @Test
  void onlyPlainIpCommandsBecomeBatchLines() {
    assertThat(ProcessCommandRunner.batchLine(List.of("ip", "addr", "replace", "198.18.0.100/24", "dev", "eth0",
        "valid_lft", "2", "preferred_lft", "2"))).contains("addr replace 198.18.0.100/24 dev eth0 valid_lft 2 preferred_lft 2\n");
    assertThat(ProcessCommandRunner.batchLine(List.of("ip", "-o", "addr", "show"))).isEmpty(); // a global option
    assertThat(ProcessCommandRunner.batchLine(List.of("ip", "addr", "show", "dev", "we\"ird"))).isEmpty();
    assertThat(ProcessCommandRunner.batchLine(List.of("arping", "-U", "198.18.0.100"))).isEmpty();
    assertThat(ProcessCommandRunner.batchLine(List.of("ip"))).isEmpty();
  }
}
