package io.tandem.vip;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Runs commands as child processes on threads of its own, never on a Vert.x thread: a command may
 * block for its whole timeout. {@code ordered} runners run one command at a time, in submission
 * order (the VIP's {@code ip addr} changes must not overtake one another: a renewal after a
 * release would bring the address back); unordered ones run each at once (gratuitous ARP, probes).
 * Futures complete on the runner's thread: callers hop back onto their own context.
 *
 * <p>One command may be primed ({@link #prime}): started ahead of time and held at a shell's {@code
 * read}, so that running it costs no fork and exec from this large process; an {@code ip} command
 * is held as {@code ip -batch -}, already exec'd, waiting for its one line. A failover runs one
 * {@code ip} and one {@code arping} inside its gap, and spawning each from the JVM took 2-5 ms on a
 * busy two-core machine. A held process runs nothing until told to: when this runner closes or this
 * process dies, its standard input ends and it exits.
 */
public final class ProcessCommandRunner implements CommandRunner {
  private static final int MAX_OUTPUT = 4096;
  /** How long after a primed command ran the next one is started: not while the failover's work runs. */
  private static final long REPRIME_DELAY_MS = 300;
  /** Runs {@code "$@"} once told {@code run}; anything else (end of input above all) and it exits unrun. */
  private static final String HOLD = "IFS= read -r go && [ \"$go\" = run ] && exec \"$@\"";
  /** Arguments an {@code ip -batch} line carries as they are (its parser splits on blanks and quotes). */
  private static final Pattern PLAIN_ARG = Pattern.compile("[A-Za-z0-9._:/@+=-]+");

  private final List<String> prefix;
  private final ExecutorService executor;
  private final AtomicReference<Held> held = new AtomicReference<>();
  private volatile List<String> primed; // the command to keep held, null: none
  private volatile boolean closed;

  /**
   * A started process, its output being drained; {@code go} is what its standard input is told to
   * run it (for one held at a shell's {@code read}: {@code run}; for {@code ip -batch}: the command).
   */
  private record Held(List<String> argv, Process process, Thread drain, StringBuilder out, String go) {}

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
          Held h = argv.equals(primed) ? held.getAndSet(null) : null;
          if (h != null && h.process().isAlive() && release(h)) {
            done.complete(await(h, timeout));
            reprimeLater();
          } else {
            done.complete(await(start(argv), timeout));
          }
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

  /**
   * Keeps {@code argv} started ahead of time from now on (see the class comment): the next {@link
   * #run} of exactly this command uses the held process, and another is held again a little later.
   */
  @Override
  public void prime(List<String> argv) {
    primed = List.copyOf(argv);
    submitPrime();
  }

  /** Whether a held process waits for {@code argv} now (tests). */
  boolean holds(List<String> argv) {
    Held h = held.get();
    return h != null && h.argv().equals(argv) && h.process().isAlive();
  }

  /** The PID of the process held for the primed command, or -1 (tests). */
  long heldPid() {
    Held h = held.get();
    return h == null ? -1 : h.process().pid();
  }

  private void submitPrime() {
    try {
      executor.execute(this::hold);
    } catch (RejectedExecutionException e) {
      // Closing: nothing to hold.
    }
  }

  private void reprimeLater() {
    CompletableFuture.delayedExecutor(REPRIME_DELAY_MS, TimeUnit.MILLISECONDS).execute(this::submitPrime);
  }

  private void hold() {
    List<String> argv = primed;
    if (closed || argv == null || holds(argv)) {
      return;
    }
    try {
      Optional<String> line = batchLine(argv);
      Held h = line.isPresent() ? start(argv, List.of("ip", "-batch", "-"), line.get())
          : start(argv, heldAtRead(argv), "run\n");
      Held old = held.getAndSet(h);
      if (old != null) {
        dismiss(old);
      }
      if (closed && held.compareAndSet(h, null)) {
        dismiss(h);
      }
    } catch (IOException e) {
      // Not fatal: the command is spawned when it runs, as without priming.
    }
  }

  /**
   * An {@code ip} command as a line for {@code ip -batch -}, if it can be one: an {@code ip} held
   * that way has already been exec'd and loaded, and runs the line it is given in 1.3 ms, against
   * 5.6 ms for a shell held at {@code read} that then execs {@code ip} (median of 30, idle 2-core
   * test machine). Global options ({@code ip -o ...}) and arguments that would need quoting keep the
   * shell.
   */
  static Optional<String> batchLine(List<String> argv) {
    if (argv.size() < 3 || !argv.get(0).equals("ip") || argv.get(1).startsWith("-")) {
      return Optional.empty();
    }
    List<String> rest = argv.subList(1, argv.size());
    for (String a : rest) {
      if (!PLAIN_ARG.matcher(a).matches()) {
        return Optional.empty();
      }
    }
    return Optional.of(String.join(" ", rest) + "\n");
  }

  /** {@code argv} behind a shell that execs it once it reads {@code run} (see {@link #HOLD}). */
  private static List<String> heldAtRead(List<String> argv) {
    List<String> full = new ArrayList<>(List.of("sh", "-c", HOLD, "tandem-primed"));
    full.addAll(argv);
    return full;
  }

  /** Tells a held process to run its command; false if it could not be told (it is gone). */
  private static boolean release(Held h) {
    try {
      OutputStream in = h.process().getOutputStream();
      in.write(h.go().getBytes(StandardCharsets.US_ASCII));
      in.close();
      return true;
    } catch (IOException e) {
      h.process().destroyForcibly();
      return false;
    }
  }

  /** Ends a held process without running its command: its input ends, its {@code read} fails. */
  private static void dismiss(Held h) {
    try {
      h.process().getOutputStream().close();
    } catch (IOException e) {
      h.process().destroyForcibly();
    }
  }

  private Held start(List<String> argv) throws IOException {
    Held h = start(argv, argv, "");
    h.process().getOutputStream().close(); // nothing to say on its standard input
    return h;
  }

  private Held start(List<String> argv, List<String> command, String go) throws IOException {
    List<String> full = new ArrayList<>(prefix);
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    // Drained on a thread of its own, so a chatty script cannot block on a full pipe; only the
    // first few KiB are kept.
    StringBuilder out = new StringBuilder();
    Thread drain = new Thread(() -> drain(p.getInputStream(), out), "command-output");
    drain.setDaemon(true);
    drain.start();
    return new Held(argv, p, drain, out, go);
  }

  private static Result await(Held h, Duration timeout) throws InterruptedException {
    Process p = h.process();
    boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(1, TimeUnit.SECONDS);
    }
    h.drain().join(200);
    String text;
    synchronized (h.out()) {
      text = h.out().toString().trim().replaceAll("\\s*\\R\\s*", "; ");
    }
    return new Result(h.argv(), exited ? p.exitValue() : -1, text, !exited);
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
    closed = true;
    primed = null;
    executor.shutdown();
    Held h = held.getAndSet(null);
    if (h != null) {
      dismiss(h);
    }
  }
}
