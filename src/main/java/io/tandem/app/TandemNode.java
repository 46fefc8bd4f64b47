package io.tandem.app;

import io.tandem.admin.AdminServer;
import io.tandem.admin.AdminToken;
import io.tandem.admin.NodeStatus;
import io.tandem.backend.BackendPool;
import io.tandem.backend.HealthChecker;
import io.tandem.config.TandemConfig;
import io.tandem.metrics.TandemMetrics;
import io.tandem.proxy.ProxyFrontends;
import io.tandem.sticky.StickyPolicy;
import io.tandem.sticky.StickyTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/**
 * One balancer node, built from its config. Starts in dependency order (metrics, pool and health
 * checks, sticky table, proxy, admin) and stops in reverse.
 */
public final class TandemNode {
  private static final System.Logger LOG = System.getLogger(TandemNode.class.getName());

  private final Vertx vertx;
  private final TandemConfig config;
  private final TandemMetrics metrics;
  private final BackendPool pool;
  private final HealthChecker health;
  private final StickyTable table;
  private final ProxyFrontends proxy;
  private final AdminServer admin;
  private final long startedAt = System.currentTimeMillis();
  private long expiryTimer = -1;
  private long tickTimer = -1;
  private int adminPort = -1;

  public TandemNode(Vertx vertx, TandemConfig config, AdminToken token, int eventLoops) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = new TandemMetrics(config.node().name());
    this.pool = BackendPool.create(config.backends(), config.passive(), System::currentTimeMillis);
    this.health = new HealthChecker(vertx, pool, config.health(), config.backends());
    this.table = StickyTable.local(config.sticky().idleTimeout(), config.sticky().maxEntries(),
        System::currentTimeMillis);
    StickyPolicy policy = StickyPolicy.create(config.sticky(), new SecureRandom());
    this.proxy = new ProxyFrontends(vertx, config, pool, table, policy, metrics, () -> false, eventLoops, null);
    this.admin = new AdminServer(vertx, config.admin(), token, pool, table, metrics, statusSource(),
        proxy::reloadTls, value -> policy.keyOf(List.of(config.sticky().cookie() + "=" + value), null, null));
    metrics.bindPool(pool);
    metrics.bindSticky(table);
    pool.addListener((b, from, to, reason) -> LOG.log(System.Logger.Level.INFO,
        "{0}: backend {1} {2} -> {3} ({4})", config.node().name(), b.id(), from, to, reason));
  }

  public Future<TandemNode> start() {
    return health.start()
        .compose(v -> proxy.start())
        .compose(v -> admin.start())
        .map(port -> {
          adminPort = port;
          long every = Math.max(1000, Math.min(config.sticky().idleTimeout().toMillis() / 10, 10_000));
          expiryTimer = vertx.setPeriodic(every, t -> table.expireIdle());
          // Ejections end lazily on the next request; the tick makes listeners hear it when idle.
          tickTimer = vertx.setPeriodic(1000, t -> pool.tick());
          LOG.log(System.Logger.Level.INFO, "{0}: serving {1}, admin on {2}", config.node().name(),
              proxy.boundPorts(), config.admin().address());
          return this;
        });
  }

  public Future<Void> stop() {
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
      vertx.cancelTimer(tickTimer);
    }
    return admin.stop()
        .eventually(() -> proxy.stop())
        .eventually(() -> health.stop());
  }

  private NodeStatus statusSource() {
    return new NodeStatus() {
      @Override
      public JsonObject snapshot() {
        JsonArray listeners = new JsonArray();
        List<Integer> ports = proxy.boundPorts();
        for (int i = 0; i < config.listen().size(); i++) {
          listeners.add(new JsonObject().put("address", config.listen().get(i).address().toString())
              .put("port", ports.get(i)).put("tls", config.listen().get(i).tls().isPresent()));
        }
        return new JsonObject()
            .put("node", config.node().name())
            .put("priority", config.node().priority())
            .put("state", "SINGLE")
            .put("pid", ProcessHandle.current().pid())
            .put("uptime_s", Duration.ofMillis(System.currentTimeMillis() - startedAt).toSeconds())
            .put("version", Version.text())
            .put("listeners", listeners);
      }

      @Override
      public boolean ready() {
        return pool.all().stream().anyMatch(b -> b.state().acceptsNew());
      }
    };
  }

  public TandemConfig config() {
    return config;
  }

  public BackendPool pool() {
    return pool;
  }

  public StickyTable table() {
    return table;
  }

  public TandemMetrics metrics() {
    return metrics;
  }

  public ProxyFrontends proxy() {
    return proxy;
  }

  public List<Integer> proxyPorts() {
    return proxy.boundPorts();
  }

  public int adminPort() {
    return adminPort;
  }

  static long pid() {
    return ManagementFactory.getRuntimeMXBean().getPid();
  }
}
