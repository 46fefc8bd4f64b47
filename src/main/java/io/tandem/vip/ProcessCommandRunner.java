package io.tandem.vip;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs commands as child processes on threads of its own, never on a Vert.x thread: a command may
 * block for its whole timeout. {@code ordered} runners run one command at a time, in submission
 * order (the VIP's {@code ip addr} changes must not overtake one another: a renewal after a
 * release would bring the address back); unordered ones run each at once (gratuitous ARP, probes).
 * Futures complete on the runner's thread: callers hop back onto their own context.
 */
public final class ProcessCommandRunner implements CommandRunner {
  private static final int MAX_OUTPUT = 4096;

  private final List<String> prefix;
  private final ExecutorService executor;

  /**
   * @param name thread names, for thread dumps
   * @param prefix put before every command (tests run the driver inside a network namespace with
   *     {@code ip netns exec NAME}); empty in production
   */
  public ProcessCommandRunner(String name, boolean ordered, List<String> prefix) {
    this.prefix = List.copyOf(prefix);
    AtomicInteger n = new AtomicInteger();
    java.util.concurrent.ThreadFactory threads = r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.executor = ordered ? Executors.newSingleThreadExecutor(threads) : Executors.newCachedThreadPool(threads);
  }

  @Override
  public Future<Result> run(List<String> argv, Duration timeout) {
    return runIfBefore(argv, timeout, Long.MAX_VALUE);
  }

  @Override
  public Future<Result> runIfBefore(List<String> argv, Duration timeout, long startByNanos) {
    Promise<Result> done = Promise.promise();
    try {
      executor.execute(() -> {
        try {
          if (startByNanos != Long.MAX_VALUE && System.nanoTime() - startByNanos > 0) {
            done.complete(new Result(argv, Result.SKIPPED, "", false));
            return;
          }
          done.complete(exec(argv, timeout));
        } catch (IOException | RuntimeException e) {
          done.fail(new IOException(String.join(" ", argv) + ": cannot run: " + e.getMessage(), e));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          done.fail(new IOException(String.join(" ", argv) + ": interrupted"));
        }
      });
    } catch (RejectedExecutionException e) {
      done.fail(new IOException(String.join(" ", argv) + ": not run: the node is shutting down"));
    }
    return done.future();
  }

  private Result exec(List<String> argv, Duration timeout) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(prefix);
    full.addAll(argv);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    p.getOutputStream().close(); // nothing to say on its standard input
    // Drained on a thread of its own, so a chatty script cannot block on a full pipe; only the
    // first few KiB are kept.
    StringBuilder out = new StringBuilder();
    Thread drain = new Thread(() -> drain(p.getInputStream(), out), "command-output");
    drain.setDaemon(true);
    drain.start();
    boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(1, TimeUnit.SECONDS);
    }
    drain.join(200);
    String text;
    synchronized (out) {
      text = out.toString().trim().replaceAll("\\s*\\R\\s*", "; ");
    }
    return new Result(argv, exited ? p.exitValue() : -1, text, !exited);
  }

  private static void drain(InputStream in, StringBuilder out) {
    byte[] buf = new byte[1024];
    int kept = 0;
    try (in) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        int keep = Math.min(n, MAX_OUTPUT - kept);
        if (keep > 0) {
          synchronized (out) {
            out.append(new String(buf, 0, keep, StandardCharsets.UTF_8));
          }
          kept += keep;
        }
      }
    } catch (IOException e) {
      // The process was killed: what was read is all there is.
    }
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
