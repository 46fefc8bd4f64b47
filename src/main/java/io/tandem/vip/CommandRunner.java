package io.tandem.vip;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * Runs a host command ({@code ip}, {@code arping}, an operator's script) off the event loop. A
 * command that outlives its timeout is killed; the result says so.
 */
public interface CommandRunner {
  Future<Result> run(List<String> argv, Duration timeout);

  /**
   * Like {@link #run}, but the command is skipped (exit code {@link Result#SKIPPED}) when it could
   * only start after {@code startByNanos} ({@link System#nanoTime}): a VIP change queued before the
   * process was frozen (SIGSTOP, a long pause) must not run when it wakes, stale, after its peer
   * took over. The monotonic clock runs on while a process is stopped.
   */
  default Future<Result> runIfBefore(List<String> argv, Duration timeout, long startByNanos) {
    return run(argv, timeout);
  }

  /**
   * From now on, keeps {@code argv} ready to run at once (a runner may start it ahead of time): for
   * the commands a failover runs inside its gap. A hint: runners may ignore it.
   */
  default void prime(List<String> argv) {}

  /** Stops accepting commands; those running finish or time out. */
  default void close() {}

  /** How a command ended: its exit code (-1 when killed for its timeout) and its output (both streams, trimmed). */
  record Result(List<String> argv, int exitCode, String output, boolean timedOut) {
    /** The exit code of a command that was not started: its moment had passed. */
    public static final int SKIPPED = -2;

    public boolean skipped() {
      return exitCode == SKIPPED && !timedOut;
    }

    public boolean ok() {
      return exitCode == 0 && !timedOut;
    }

    /** For logs and FAULT reasons: the command and how it failed. */
    public String describe() {
      String cmd = String.join(" ", argv);
      if (timedOut) {
        return cmd + ": timed out (killed)";
      }
      if (skipped()) {
        return cmd + ": not run (too late: the process was paused)";
      }
      return cmd + ": exit " + exitCode + (output.isEmpty() ? "" : ": " + output);
    }
  }
}
