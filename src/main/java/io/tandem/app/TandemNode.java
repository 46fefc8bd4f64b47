package io.tandem.app;

import io.tandem.admin.AdminServer;
import io.tandem.admin.AdminToken;
import io.tandem.admin.NodeStatus;
import io.tandem.backend.BackendPool;
import io.tandem.backend.HealthChecker;
import io.tandem.cluster.ClusterNode;
import io.tandem.config.ClusterConfig;
import io.tandem.config.VipConfig;
import io.tandem.proxy.LoopWatch;
import io.tandem.vip.ArpProbeGuard;
import io.tandem.vip.BindFloatingIp;
import io.tandem.vip.CommandRunner;
import io.tandem.vip.Iproute2FloatingIp;
import io.tandem.vip.ProcessCommandRunner;
import io.tandem.vip.ScriptFloatingIp;
import io.tandem.vip.FloatingIp;
import io.tandem.vip.GuardVerdict;
import io.tandem.vip.HttpProbeGuard;
import io.tandem.vip.NoFloatingIp;
import io.tandem.vip.TakeoverGuard;
import io.tandem.config.TandemConfig;
import io.tandem.metrics.TandemMetrics;
import io.tandem.proxy.ProxyFrontends;
import io.tandem.sticky.StickyPolicy;
import io.tandem.sticky.StickyTable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
  private final ClusterNode cluster;
  private final FloatingIp vip;
  private final TakeoverGuard guard;
  private final long startedAt = System.currentTimeMillis();
  private long expiryTimer = -1;
  private long tickTimer = -1;
  private int adminPort = -1;
  private final Promise<ProxyFrontends.WarmUpResult> warmedUp = Promise.promise();

  /** Throws when the cluster cannot be set up (key file, stack): the message names the problem. */
  public TandemNode(Vertx vertx, TandemConfig config, AdminToken token, int eventLoops) throws Exception {
    this.vertx = vertx;
    this.config = config;
    String name = config.node().name();
    this.metrics = new TandemMetrics(name);
    this.pool = BackendPool.create(config.backends(), config.passive(), System::currentTimeMillis);
    this.health = new HealthChecker(vertx, pool, config.health(), config.backends(), metrics::healthCheck);
    StickyTable local = StickyTable.local(config.sticky().idleTimeout(), config.sticky().maxEntries(),
        System::currentTimeMillis);
    StickyPolicy policy = StickyPolicy.create(config.sticky(), new SecureRandom());
    LoopWatch loops = new LoopWatch(System::currentTimeMillis);
    String probe = config.vip().map(v -> v.address().toString())
        .orElse(config.listen().get(0).address().toString());
    if (config.cluster().isPresent()) {
      ClusterConfig c = config.cluster().get();
      this.cluster = new ClusterNode(vertx, name, config.node().priority(), c, local,
          config.sticky().idleTimeout(), new NodeHealth(pool, loops, c.heartbeatTimeout()), metrics, probe);
      this.table = cluster.table();
      // drain / maint / enable on any node holds on every node (and after a failover).
      cluster.shareAdminStates(pool);
      metrics.bindReplication(cluster.table());
    } else {
      this.cluster = null;
      this.table = local;
    }
    this.proxy = new ProxyFrontends(vertx, config, pool, table, policy, metrics, () -> false, eventLoops,
        probeResponder(config), loops);
    if (cluster != null) {
      // bind: the target binds beside the holder (SO_REUSEPORT on one host), so no connection is
      // refused in between; a driver that moves an address between hosts releases first instead.
      cluster.handoffOrder(config.vip().map(v -> v.driver() == io.tandem.config.VipDriver.BIND).orElse(true)
          ? io.tandem.cluster.HandoffOrder.TAKE_FIRST : io.tandem.cluster.HandoffOrder.RELEASE_FIRST);
      cluster.drain(new io.tandem.cluster.DataPathDrain() {
        @Override
        public void begin() {
          proxy.beginDrain();
        }

        @Override
        public void end() {
          proxy.endDrain();
        }

        @Override
        public int inFlight() {
          return proxy.vipInFlight();
        }
      });
      cluster.maintenanceFile(new io.tandem.cluster.MaintenanceFile(config.node().stateDir(), name));
    }
    if (config.vip().isPresent()) {
      VipConfig v = config.vip().get();
      Duration probeTimeout = config.cluster().map(c -> c.heartbeatTimeout().dividedBy(2))
          .orElse(Duration.ofMillis(200));
      probeTimeout = probeTimeout.compareTo(Duration.ofMillis(300)) > 0 ? Duration.ofMillis(300) : probeTimeout;
      // A holder that answered before and then missed one probe gets a whole heartbeat timeout to
      // answer the next (TakeoverJudge): the time a silent peer is believed alive anyway.
      Duration confirmTimeout = config.cluster().map(c -> c.heartbeatTimeout()).orElse(probeTimeout);
      TakeoverGuard http = new HttpProbeGuard(vertx, v.address(), probeTimeout, confirmTimeout);
      switch (v.driver()) {
        case IPROUTE2 -> {
          CommandRunner arp = new ProcessCommandRunner(name + "-arping", false, List.of());
          this.vip = new Iproute2FloatingIp(name, v, vertx, new ProcessCommandRunner(name + "-ip", true, List.of()),
              arp, () -> System.nanoTime() / 1_000_000);
          this.guard = new ArpProbeGuard(name, v, arp, http, probeTimeout);
        }
        case SCRIPT -> {
          this.vip = new ScriptFloatingIp(name, v, new ProcessCommandRunner(name + "-vip-script", true, List.of()));
          this.guard = http;
        }
        default -> {
          this.vip = new BindFloatingIp(name, v, proxy);
          this.guard = http;
        }
      }
    } else {
      this.vip = new NoFloatingIp();
      this.guard = () -> Future.succeededFuture(GuardVerdict.FREE);
    }
    this.admin = new AdminServer(vertx, config.admin(), token, pool, table, metrics, statusSource(),
        this::reloadTls, value -> policy.keyOf(List.of(config.sticky().cookie() + "=" + value), null, null),
        cluster == null ? io.tandem.admin.PairControl.NONE : new ClusterControl(cluster));
    for (var l : config.listen()) {
      l.tls().ifPresent(t -> t.certificates().forEach(c -> metrics.certificates().watch(l.address().toString(), c.cert())));
    }
    metrics.bindPool(pool);
    metrics.bindSticky(table);
    metrics.bindVip(vip);
    pool.addListener((b, from, to, reason) -> LOG.log(System.Logger.Level.INFO,
        "{0}: backend {1} {2} -> {3} ({4})", name, b.id(), from, to, reason));
  }

  public Future<TandemNode> start() {
    return vip.prepare()
        .compose(v -> health.start())
        .compose(v -> proxy.start())
        .onSuccess(v -> warmUp())
        .compose(v -> admin.start())
        .compose(port -> {
          adminPort = port;
          if (cluster != null) {
            return cluster.start(vip, guard).onSuccess(v -> {
              if (config.node().warmUp() > 0) {
                // After the data path's warm-up, not beside it: a node restarting on a saturated
                // host must not add both at once to the CPU its MASTER peer needs.
                warmedUp.future().onComplete(w -> cluster.warmCrashPath());
              }
            }).map(port);
          }
          // A single node is the active one: say so in the metrics, as a pair's MASTER would.
          metrics.stateChanged(io.tandem.cluster.NodeState.INIT, io.tandem.cluster.NodeState.MASTER, 0, "single node");
          // A single node with a VIP simply holds it.
          return config.vip().isPresent() ? vip.acquire(1).map(port) : Future.succeededFuture(port);
        })
        .map(port -> {
          long every = Math.max(1000, Math.min(config.sticky().idleTimeout().toMillis() / 10, 10_000));
          expiryTimer = vertx.setPeriodic(every, t -> table.expireIdle());
          // Ejections end lazily on the next request; the tick makes listeners hear it when idle.
          tickTimer = vertx.setPeriodic(1000, t -> pool.tick());
          LOG.log(System.Logger.Level.INFO, "{0}: serving {1}, admin on {2}", config.node().name(),
              proxy.boundPorts(), config.admin().address());
          return this;
        });
  }

  /** In the background: the node serves (and joins its cluster) meanwhile. */
  private void warmUp() {
    String name = config.node().name();
    proxy.warmUp(config.node().warmUp()).onComplete(warmedUp).onComplete(ar -> {
      if (ar.failed()) {
        LOG.log(System.Logger.Level.WARNING, "{0}: data path warm-up failed: {1}", name, ar.cause().getMessage());
      } else if (ar.result().loops() > 0) {
        var r = ar.result();
        LOG.log(ar.result().failed() == 0 ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
            "{0}: data path warmed: {1} requests through each of {2} event loops in {3} ms ({4} failed)", name,
            r.requestsPerLoop(), r.loops(), Long.toString(r.millis()), r.failed());
      }
    });
  }

  /** Completes when the data path warm-up at start has ended (see {@code node.warm-up}). */
  public Future<ProxyFrontends.WarmUpResult> warmedUp() {
    return warmedUp.future();
  }

  public Future<Void> stop() {
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
      vertx.cancelTimer(tickTimer);
    }
    Future<Void> left = cluster != null ? cluster.stop() : vip.release(0);
    return left
        .eventually(() -> vip.close())
        .eventually(() -> admin.stop())
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
        JsonObject out = new JsonObject()
            .put("node", config.node().name())
            .put("priority", config.node().priority())
            .put("pid", ProcessHandle.current().pid())
            .put("uptime_s", Duration.ofMillis(System.currentTimeMillis() - startedAt).toSeconds())
            .put("version", Version.text())
            .put("listeners", listeners)
            .put("vip", vip.describe())
            .put("vip_held", vip.held());
        if (cluster == null) {
          return out.put("state", "SINGLE").put("epoch", 0).put("in_sync", true).put("members", new JsonArray());
        }
        return out.mergeIn(ClusterStatusJson.of(cluster, metrics.lastReplicationLagMillis()));
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

  /** The guard's probe answers cluster members and loopback only. */
  private io.tandem.proxy.ProbeResponder probeResponder(TandemConfig config) {
    java.util.Set<java.net.InetAddress> members = new java.util.HashSet<>();
    config.cluster().ifPresent(c -> c.peers().forEach(p -> {
      if (p.ip() != null) {
        members.add(p.ip());
      }
    }));
    return new io.tandem.proxy.ProbeResponder() {
      @Override
      public String answer() {
        return probeAnswer();
      }

      @Override
      public boolean allowed(java.net.InetAddress asker) {
        return asker.isLoopbackAddress() || members.contains(asker);
      }
    };
  }

  private String probeAnswer() {
    JsonObject o = new JsonObject().put("node", config.node().name());
    if (cluster != null) {
      o.put("state", cluster.status().state().name()).put("epoch", cluster.status().epoch());
    }
    return o.encode();
  }

  /** Reloads every TLS listener's files, then the certificate expiry gauges (file reads on a worker). */
  public Future<Void> reloadTls() {
    return proxy.reloadTls().compose(v -> vertx.executeBlocking(() -> {
      metrics.certificates().refresh();
      return null;
    }, false)).mapEmpty();
  }

  public ClusterNode cluster() {
    return cluster;
  }

  public FloatingIp vip() {
    return vip;
  }

  static long pid() {
    return ManagementFactory.getRuntimeMXBean().getPid();
  }
}
