package io.tandem.app;

/** The demo's generated configs and its welcome text. */
final class DemoConfigs {
  private DemoConfigs() {}

  private static final String BACKENDS = """
      backends:
        - {id: web1, url: "http://127.0.0.1:9001"}
        - {id: web2, url: "http://127.0.0.1:9002"}
        - {id: web3, url: "http://127.0.0.1:9003"}
      health: {path: /health, interval: 1s, timeout: 500ms, rise: 2, fall: 2}
      timeouts: {connect: 1s, response: 30s, client-idle: 60s}
      """;

  static String single(String sticky) {
    return "# Written by `tandem demo --single`.\n"
        + "node: {name: lb1, priority: 150, state-dir: state}\n"
        + "listen:\n  - address: " + DemoCommand.VIP + ":" + DemoCommand.VIP_PORT + "\n"
        + BACKENDS
        + "sticky: {mode: " + sticky + ", idle-timeout: 30m}\n"
        + "admin: {address: 127.0.0.1:9901, token-file: admin.token}\n";
  }

  /** Node n of the pair: its own listener on 127.0.0.1:808n, the VIP by the bind driver. */
  static String pairNode(int n, String sticky) {
    return "# Written by `tandem demo`: node lb" + n + " of the demo pair.\n"
        // Maintenance is kept under the demo's own directory (relative paths resolve there).
        + "node: {name: lb" + n + ", priority: " + (n == 1 ? 150 : 100) + ", state-dir: state}\n"
        + "listen:\n  - address: 127.0.0.1:808" + n + "\n"
        + BACKENDS
        + "sticky: {mode: " + sticky + ", idle-timeout: 30m}\n"
        + "admin: {address: 127.0.0.1:990" + n + ", token-file: admin.token}\n"
        + "cluster:\n"
        + "  bind: 127.0.0.1:780" + (n - 1) + "\n"
        + "  peers: [127.0.0.1:7800, 127.0.0.1:7801]\n"
        + "  key-file: cluster.p12\n"
        + "  preempt: false\n"
        + "  heartbeat: {interval: 100ms, timeout: 500ms}\n"
        + "vip: {driver: bind, address: " + DemoCommand.VIP + ":" + DemoCommand.VIP_PORT + "}\n";
  }

  static String banner(String pids, String configs, String tokenFile, boolean pair) {
    String t = "$(cat " + tokenFile + ")";
    String site = "http://" + DemoCommand.VIP + ":" + DemoCommand.VIP_PORT;
    return """

        Tandem demo is up. PIDs: %s
          site:        %s/   (backends web1-web3 on 127.0.0.1:9001-9003)
          admin APIs:  http://127.0.0.1:9901/api/status%s
          admin token: %s
          configs:     %s

        Try:
          curl -s -c /tmp/jar -X POST %s/login      # log in: the balancer learns JSESSIONID
          curl -s -b /tmp/jar %s/counter            # same backend, the count goes up
          curl -s -H "Authorization: Bearer %s" http://127.0.0.1:9901/api/status
        %s
        Ctrl-C stops everything.
        """.formatted(pids, site, pair ? "  and http://127.0.0.1:9902/api/status" : "", tokenFile, configs,
        site, site, t, pair
            ? "  kill -9 <the MASTER's pid>   # and keep browsing: the other node takes the VIP, your count goes on\n"
            : "");
  }
}
