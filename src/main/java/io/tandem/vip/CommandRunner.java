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

  /** Stops accepting commands; those running finish or time out. */
  default void close() {}

  /** How a command ended: its exit code (-1 when killed for its timeout) and its output (both streams, trimmed). */
  record Result(List<String> argv, int exitCode, String output, boolean timedOut) {
    public boolean ok() {
      return exitCode == 0 && !timedOut;
    }

    /** For logs and FAULT reasons: the command and how it failed. */
    public String describe() {
      String cmd = String.join(" ", argv);
      if (timedOut) {
        return cmd + ": timed out (killed)";
      }
      return cmd + ": exit " + exitCode + (output.isEmpty() ? "" : ": " + output);
    }
  }
}
