package io.tandem.testing;

import io.tandem.admin.AdminToken;
import io.tandem.app.TandemNode;
import io.tandem.config.ConfigException;
import io.tandem.config.ConfigLoader;
import io.tandem.config.TandemConfig;
import io.tandem.demo.DemoBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real balancer node on loopback with real demo backends, all on port 0, for integration tests.
 * Build with {@link #builder(Vertx)}; the YAML it writes goes through the real config loader.
 */
public final class TestNode implements AutoCloseable {
  public static final String TOKEN = "test-token-0123456789abcdef";

  private final Vertx vertx;
  private final List<DemoBackend> backends;
  private final TandemNode node;

  private TestNode(Vertx vertx, List<DemoBackend> backends, TandemNode node) {
    this.vertx = vertx;
    this.backends = backends;
    this.node = node;
  }

  public static Builder builder(Vertx vertx) {
    return new Builder(vertx);
  }

  public TandemNode node() {
    return node;
  }

  public DemoBackend backend(int i) {
    return backends.get(i);
  }

  public List<DemoBackend> backends() {
    return backends;
  }

  /** The first listener's port. */
  public int port() {
    return node.proxyPorts().get(0);
  }

  public int port(int listener) {
    return node.proxyPorts().get(listener);
  }

  public int adminPort() {
    return node.adminPort();
  }

  @Override
  public void close() throws Exception {
    node.stop().await(10, TimeUnit.SECONDS);
    List<Future<Void>> stops = new ArrayList<>();
    for (DemoBackend b : backends) {
      stops.add(b.stop());
    }
    Future.all(stops).await(10, TimeUnit.SECONDS);
  }

  public static final class Builder {
    private final Vertx vertx;
    private int backendCount = 3;
    private final List<String> extraBackends = new ArrayList<>();
    private String sticky = "{mode: learn}";
    // Fast, but two failed checks in a row before a backend is down: on a loaded 2-core machine a
    // single 80 ms check failed now and then, and with every backend down at once a test saw 503s.
    private String health = "{interval: 100ms, timeout: 100ms, rise: 1, fall: 2}";
    private String timeouts = "{connect: 500ms, response: 5s, client-idle: 30s}";
    private String limits = "{}";
    private String passive = "{consecutive-failures: 0}";
    private String retries = "{connect: 2}";
    private String listenTls;
    /** Small: hundreds of node starts in one test run, each warming on new connections. */
    private int warmUp = 30;

    private Builder(Vertx vertx) {
      this.vertx = vertx;
    }

    public Builder backends(int n) {
      this.backendCount = n;
      return this;
    }

    /** A backend entry that is not a running demo backend (e.g. a closed port). */
    public Builder extraBackend(String id, String url) {
      extraBackends.add("  - {id: " + id + ", url: \"" + url + "\"}\n");
      return this;
    }

    public Builder sticky(String yaml) {
      this.sticky = yaml;
      return this;
    }

    public Builder health(String yaml) {
      this.health = yaml;
      return this;
    }

    public Builder timeouts(String yaml) {
      this.timeouts = yaml;
      return this;
    }

    public Builder limits(String yaml) {
      this.limits = yaml;
      return this;
    }

    public Builder passive(String yaml) {
      this.passive = yaml;
      return this;
    }

    public Builder retries(String yaml) {
      this.retries = yaml;
      return this;
    }

    public Builder warmUp(int requests) {
      this.warmUp = requests;
      return this;
    }

    /** Adds a second listener with this {@code tls:} mapping. */
    public Builder tlsListener(String tlsYaml) {
      this.listenTls = tlsYaml;
      return this;
    }

    public TestNode start() throws Exception {
      List<DemoBackend> started = new ArrayList<>();
      StringBuilder backendsYaml = new StringBuilder();
      for (int i = 0; i < backendCount; i++) {
        DemoBackend b = new DemoBackend(vertx, "web" + (i + 1));
        int port = b.start("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
        started.add(b);
        backendsYaml.append("  - {id: web").append(i + 1).append(", url: \"http://127.0.0.1:").append(port).append("\"}\n");
      }
      extraBackends.forEach(backendsYaml::append);
      String yaml = "node: {name: test1, priority: 100, warm-up: " + warmUp + "}\n"
          + "listen:\n  - address: 127.0.0.1:0\n"
          + (listenTls == null ? "" : "  - address: 127.0.0.1:0\n    tls: " + listenTls + "\n")
          + "backends:\n" + backendsYaml
          + "health: " + health + "\n"
          + "passive: " + passive + "\n"
          + "sticky: " + sticky + "\n"
          + "timeouts: " + timeouts + "\n"
          + "limits: " + limits + "\n"
          + "retries: " + retries + "\n"
          + "admin: {address: 127.0.0.1:0}\n";
      TandemConfig config;
      try {
        config = new ConfigLoader().parse(yaml, "test.yaml", Path.of("."));
      } catch (ConfigException e) {
        throw new IllegalStateException(yaml + "\n" + e.getMessage(), e);
      }
      TandemNode node = new TandemNode(vertx, config, AdminToken.of(TOKEN), 1);
      node.start().await(20, TimeUnit.SECONDS);
      return new TestNode(vertx, started, node);
    }
  }
}
