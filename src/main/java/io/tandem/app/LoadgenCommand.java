package io.tandem.app;

import io.tandem.config.Durations;
import io.tandem.config.HostPort;
import io.tandem.drill.DrillReport;
import io.tandem.drill.SessionLoad;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem loadgen}: the drills' client. Logs in {@code --users} users on the demo backend
 * through {@code --target}, loads it until {@code --duration} or {@code --max-requests}, and prints
 * one JSON line (requests, failed, sessions kept, the longest gap and when it began). Exit 0.
 */
@Command(name = "loadgen", description = "Session-checking client load for drills (prints one JSON line).")
final class LoadgenCommand implements Callable<Integer> {
  @Option(names = "--target", required = true, description = "HOST:PORT of the balancer (IP literal).")
  String target;

  @Option(names = "--users", description = "Users, each with its own session (default: 50).")
  int users = 50;

  @Option(names = "--duration", description = "How long to load (default: 10s).")
  String duration = "10s";

  @Option(names = "--max-requests", description = "Request budget (default: 2000000).")
  long maxRequests = 2_000_000;

  @Option(names = "--think", description = "Pause between a user's requests (default: 5ms).")
  String think = "5ms";

  @Option(names = "--timeout", description = "Per-request timeout (default: 1s).")
  String timeout = "1s";

  @Option(names = "--mark-file", description = "A file the drill writes (epoch ms) when it strikes: recovery_ms is measured from it.")
  java.nio.file.Path markFile;

  @Option(names = "--stop-file", description = "A file whose appearance ends the load early (reported as usual).")
  java.nio.file.Path stopFile;

  @Option(names = "--ready-file", description = "A file the load writes once every user has logged in and the load runs.")
  java.nio.file.Path readyFile;

  @Override
  public Integer call() throws Exception {
    HostPort hp;
    Duration d;
    Duration th;
    Duration to;
    try {
      hp = HostPort.parse(target);
      d = Durations.parse(duration);
      th = Durations.parse(think);
      to = Durations.parse(timeout);
    } catch (IllegalArgumentException e) {
      System.err.println("loadgen: bad argument: " + e.getMessage()
          + " (expected: --target HOST:PORT, durations such as 10s or 5ms)");
      return 2;
    }
    if (users < 1 || users > 10_000 || d.toMinutes() > 60) {
      System.err.println("loadgen: --users 1-10000 and --duration at most 60m");
      return 2;
    }
    Vertx vertx = VertxSetup.plain();
    try {
      DrillReport r = new SessionLoad(vertx, hp.host(), hp.port(), users, d, maxRequests, th, to).markFile(markFile).stopFile(stopFile)
          .readyFile(readyFile).run()
          .await(d.toSeconds() + 120, TimeUnit.SECONDS);
      System.out.println(r.toJson().encode());
      return 0;
    } catch (java.util.concurrent.TimeoutException e) {
      // A request that neither got an answer nor timed out keeps the load from ending.
      System.err.println("loadgen: the load did not end within " + (d.toSeconds() + 120)
          + " s (its duration " + d.toSeconds() + " s plus 120 s): some request neither finished nor timed out");
      return 1;
    } catch (Exception e) {
      System.err.println("loadgen: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()));
      return 1;
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }
}
