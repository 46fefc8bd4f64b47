package io.tandem.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs each node of the demo pair as its own OS process ({@code tandem run --config ...}), and
 * restarts one that dies after a short pause, saying so: a visitor can kill the MASTER again and
 * again and watch the other take over.
 */
final class PairSupervisor {
  private final List<Child> children = new ArrayList<>();
  private final long restartDelayMs;
  private volatile boolean stopping;

  PairSupervisor(long restartDelayMs) {
    this.restartDelayMs = restartDelayMs;
  }

  void start(String name, Path config, Path log) throws IOException {
    Child c = new Child(name, config, log);
    children.add(c);
    c.spawn();
  }

  List<Long> pids() {
    List<Long> out = new ArrayList<>();
    for (Child c : children) {
      out.add(c.process == null ? -1 : c.process.pid());
    }
    return out;
  }

  /** SIGTERM to every node, then SIGKILL to any still alive after the timeout. */
  void stop(long timeoutMs) {
    synchronized (this) {
      stopping = true;
    }
    for (Child c : children) {
      if (c.process != null) {
        c.process.destroy();
      }
    }
    for (Child c : children) {
      try {
        if (c.process != null && !c.process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
          c.process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private final class Child {
    final String name;
    final Path config;
    final Path log;
    volatile Process process;

    Child(String name, Path config, Path log) {
      this.name = name;
      this.config = config;
      this.log = log;
    }

    void spawn() throws IOException {
      // Under the supervisor's lock with the stopping check: a restart racing stop() must not
      // leave a node behind.
      synchronized (PairSupervisor.this) {
        if (stopping) {
          return;
        }
        start();
      }
    }

    private void start() throws IOException {
      List<String> cmd = new ArrayList<>(SelfCommand.java());
      cmd.addAll(List.of("run", "--config", config.toString()));
      process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      Process p = process;
      p.onExit().thenAccept(done -> {
        if (stopping) {
          return;
        }
        System.out.printf("demo: %s (pid %d) exited with %d; restarting it in %d ms%n", name, done.pid(),
            done.exitValue(), restartDelayMs);
        try {
          Thread.sleep(restartDelayMs);
          if (!stopping) {
            spawn();
            System.out.printf("demo: %s restarted, pid %d%n", name, process.pid());
          }
        } catch (IOException | InterruptedException e) {
          System.out.printf("demo: cannot restart %s: %s%n", name, e.getMessage());
        }
      });
    }
  }
}
