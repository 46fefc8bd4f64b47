package io.tandem.app;

import io.tandem.admin.AdminToken;
import io.tandem.cluster.ClusterKey;
import io.tandem.config.ConfigLoader;
import io.tandem.config.TandemConfig;
import io.tandem.demo.DemoBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tandem demo}: three demo backends on 127.0.0.1:9001-9003 and the pair, lb1 and lb2, as two
 * OS processes sharing the site at http://127.0.0.10:8080/ (served by whichever is MASTER), with
 * admin APIs on 127.0.0.1:9901 and :9902. A node that dies is restarted after a short pause.
 * {@code --single} runs one balancer in this process instead.
 */
@Command(name = "demo", description = "Start demo backends and the balancer pair in front of them (Ctrl-C stops).")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--dir", description = "Where to write configs, key, token and logs (default: a new temp dir).")
  Path dir;

  @Option(names = "--sticky", description = "Sticky mode: learn, insert, source or none (default: learn).")
  String sticky = "learn";

  @Option(names = "--single", description = "One balancer in this process, no pair.")
  boolean single;

  @Option(names = "--restart-delay", description = "Pause before restarting a dead node, in ms (default: 1000).")
  long restartDelayMs = 1000;

  static final String VIP = "127.0.0.10";
  static final int VIP_PORT = 8080;
  static final int[] BACKEND_PORTS = {9001, 9002, 9003};

  @Override
  public Integer call() throws Exception {
    Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("tandem-demo-");
    Vertx backends = VertxSetup.plain();
    List<Future<Integer>> started = new ArrayList<>();
    for (int i = 0; i < BACKEND_PORTS.length; i++) {
      started.add(new DemoBackend(backends, "web" + (i + 1)).start("127.0.0.1", BACKEND_PORTS[i]));
    }
    try {
      Future.all(started).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("demo: cannot start the demo backends on 127.0.0.1:9001-9003: " + e.getMessage());
      backends.close();
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        backends.close().await(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // Going away either way.
      }
    }));
    return single ? single(work) : pair(work);
  }

  private int single(Path work) throws Exception {
    Path configFile = work.resolve("tandem.yaml");
    Files.writeString(configFile, DemoConfigs.single(sticky));
    TandemConfig config = new ConfigLoader().load(configFile);
    AdminToken token = AdminToken.loadOrCreate(config.admin().tokenFile());
    if (!RunCommand.start(config, token, 2, new Transports().choose(Transports.AUTO))) {
      return 1;
    }
    System.out.println(DemoConfigs.banner(TandemNode.pid() + " (single node)", configFile.toString(),
        config.admin().tokenFile().toString(), false));
    return RunCommand.KEEP_RUNNING;
  }

  private static void awaitHealthy(int adminPort) throws InterruptedException {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + adminPort + "/healthz")).timeout(java.time.Duration.ofSeconds(1)).build();
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (http.send(req, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // Not up yet.
      }
      Thread.sleep(100);
    }
  }

  private int pair(Path work) throws Exception {
    Path key = work.resolve("cluster.p12");
    if (!Files.exists(key)) {
      ClusterKey.generate(key);
    }
    Path token = work.resolve("admin.token");
    AdminToken.loadOrCreate(token);
    PairSupervisor supervisor = new PairSupervisor(restartDelayMs);
    List<String> configs = new ArrayList<>();
    for (int n = 1; n <= 2; n++) {
      Path file = work.resolve("lb" + n + ".yaml");
      Files.writeString(file, DemoConfigs.pairNode(n, sticky));
      new ConfigLoader().load(file);
      configs.add(file.toString());
    }
    // Before the first start: a Ctrl-C while the nodes come up must not leave them running.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> supervisor.stop(10_000), "demo-stop"));
    for (int n = 1; n <= 2; n++) {
      supervisor.start("lb" + n, Path.of(configs.get(n - 1)), work.resolve("lb" + n + ".log"));
      // One after the other: two nodes starting at the same instant each form a cluster of one and
      // only merge seconds later (JGroups' MERGE3), a needless first impression.
      awaitHealthy(9900 + n);
    }
    List<Long> pids = supervisor.pids();
    System.out.println(DemoConfigs.banner("lb1 " + pids.get(0) + ", lb2 " + pids.get(1) + " (logs: "
        + work.resolve("lb1.log") + ", lb2.log)", work.resolve("lb1.yaml") + ", lb2.yaml", token.toString(), true));
    return RunCommand.KEEP_RUNNING;
  }
}
