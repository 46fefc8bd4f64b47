package io.tandem.app;

import io.tandem.admin.AdminToken;
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
 * {@code tandem demo}: three demo backends on 127.0.0.1:9001-9003 and a balancer at
 * http://127.0.0.10:8080/ with its admin API on 127.0.0.1:9901, all in this process, until Ctrl-C.
 */
@Command(name = "demo", description = "Start demo backends and a balancer in front of them (Ctrl-C stops).")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--dir", description = "Where to write the demo's config and admin token (default: a new temp dir).")
  Path dir;

  @Option(names = "--sticky", description = "Sticky mode: learn, insert, source or none (default: learn).")
  String sticky = "learn";

  static final String VIP = "127.0.0.10";
  static final int VIP_PORT = 8080;
  static final int[] BACKEND_PORTS = {9001, 9002, 9003};

  @Override
  public Integer call() throws Exception {
    Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("tandem-demo-");
    Path configFile = work.resolve("tandem.yaml");
    Files.writeString(configFile, config(sticky));
    TandemConfig config = new ConfigLoader().load(configFile);
    AdminToken token = AdminToken.loadOrCreate(config.admin().tokenFile());

    Vertx backends = Vertx.vertx();
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
    if (!RunCommand.start(config, token, 2)) {
      return 1;
    }
    String t = "$(cat " + config.admin().tokenFile() + ")";
    System.out.println("""

        Tandem demo is up (pid %d).
          site:        http://%s:%d/          (backends web1-web3 on 127.0.0.1:9001-9003)
          admin API:   http://127.0.0.1:9901/api/status
          admin token: %s
          config:      %s

        Try:
          curl -si -c /tmp/jar -X POST http://%s:%d/login      # log in: the balancer learns JSESSIONID
          curl -s  -b /tmp/jar http://%s:%d/counter            # same backend, count goes up
          curl -s -H "Authorization: Bearer %s" http://127.0.0.1:9901/api/backends
          curl -s -X POST -H "Authorization: Bearer %s" http://127.0.0.1:9901/api/backends/web1/drain
          curl -s http://127.0.0.1:9901/metrics | grep ^tandem_
        Ctrl-C stops everything.
        """.formatted(TandemNode.pid(), VIP, VIP_PORT, config.admin().tokenFile(), configFile,
        VIP, VIP_PORT, VIP, VIP_PORT, t, t));
    return RunCommand.KEEP_RUNNING;
  }

  static String config(String stickyMode) {
    return """
        # Written by `tandem demo`.
        node: {name: lb1, priority: 150}
        listen:
          - address: %s:%d
        backends:
          - {id: web1, url: "http://127.0.0.1:9001"}
          - {id: web2, url: "http://127.0.0.1:9002"}
          - {id: web3, url: "http://127.0.0.1:9003"}
        health: {path: /health, interval: 1s, timeout: 500ms, rise: 2, fall: 2}
        sticky: {mode: %s, idle-timeout: 30m}
        timeouts: {connect: 1s, response: 30s, client-idle: 60s}
        admin: {address: 127.0.0.1:9901, token-file: admin.token}
        """.formatted(VIP, VIP_PORT, stickyMode);
  }

  static ConfigLoader loader() {
    return new ConfigLoader();
  }
}
