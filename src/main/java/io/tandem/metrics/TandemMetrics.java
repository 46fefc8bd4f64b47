package io.tandem.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.tandem.backend.Backend;
import io.tandem.cluster.ClusterObserver;
import io.tandem.cluster.NodeState;
import io.tandem.cluster.ReplicatedStickyTable;
import io.tandem.vip.FloatingIp;
import io.tandem.backend.BackendPool;
import io.tandem.backend.BackendState;
import io.tandem.proxy.ProxyObserver;
import io.tandem.sticky.Binding;
import io.tandem.sticky.RebindReason;
import io.tandem.sticky.StickyTable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's metrics. Hot-path meters are looked up once and cached per backend (and status class),
 * so a request costs two map reads and no allocation.
 */
public final class TandemMetrics implements ProxyObserver, ClusterObserver {
  private static final String[] CODE_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  private static final String NO_BACKEND = "none";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter[]> requests = new ConcurrentHashMap<>();
  private final Map<String, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final Map<RebindReason, Counter> rebinds = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
  private final Map<String, Counter> healthChecks = new ConcurrentHashMap<>();
  private final Map<String, Counter> tls = new ConcurrentHashMap<>();
  private final Map<String, Counter> failovers = new ConcurrentHashMap<>();
  private final Map<String, Counter> vipFaults = new ConcurrentHashMap<>();
  private final AtomicInteger members = new AtomicInteger(1);
  private volatile NodeState state = NodeState.INIT;
  private volatile long epoch;
  private volatile long lastLagMillis = -1;
  private final Counter viewChanges;
  private final Timer takeover;
  private final Timer lag;
  private final Counter connectionsTotal;
  private final CertificateExpiry certificates = new CertificateExpiry(registry);
  private final Counter binds;

  public TandemMetrics(String nodeName) {
    registry.config().commonTags("node", nodeName);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    connectionsTotal = Counter.builder("tandem.frontend.connections.opened")
        .description("Client connections accepted").register(registry);
    viewChanges = Counter.builder("tandem.cluster.view.changes").description("Cluster views installed")
        .register(registry);
    takeover = Timer.builder("tandem.election.takeover").description("From the decision to take over to serving the VIP")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    lag = Timer.builder("tandem.replication.lag").description("Sticky change replication lag (receiver clock minus sender's)")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    // Registered at 0 so that the first error of each kind is an increase Prometheus can see.
    for (String reason : List.of("no_backend", "connect", "timeout", "backend_reset", "client_closed", "bad_request")) {
      proxyError(reason, 0);
    }
    // Registered at 0 so that the first failover is an increase Prometheus can see.
    failovers.computeIfAbsent("elected", k -> Counter.builder("tandem.failovers")
        .description("Times this node became MASTER, by reason").tag("reason", k).register(registry));
    Gauge.builder("tandem.cluster.members", members, AtomicInteger::get).description("Members in the cluster view")
        .register(registry);
    Gauge.builder("tandem.node.epoch", this, m -> m.epoch).description("Epoch of this node's current or last mastership")
        .register(registry);
    for (NodeState s : NodeState.values()) {
      Gauge.builder("tandem.node.state", this, m -> m.state == s ? 1 : 0).description("1 for this node's current state")
          .tag("state", s.name()).register(registry);
    }
    binds = Counter.builder("tandem.sticky.binds").description("New sticky bindings made on this node")
        .register(registry);
  }

  /** Expiry gauges of the served certificates. */
  public CertificateExpiry certificates() {
    return certificates;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }

  /** Gauges that read the pool: up, state and in-flight per backend. */
  public void bindPool(BackendPool pool) {
    for (Backend b : pool.all()) {
      // Every backend's request series exist from the start, at zero: rate() and alerts see the
      // first requests, and a standby does not register them (histogram buckets and all) on its
      // event loops in the middle of its first burst after a takeover.
      requests.computeIfAbsent(b.id(), this::requestCounters);
      durations.computeIfAbsent(b.id(), this::durationTimer);
      Gauge.builder("tandem.backend.up", b, x -> x.state().acceptsBound() ? 1 : 0)
          .description("1 when the backend takes traffic (UP or DRAIN)").tag("backend", b.id()).register(registry);
      Gauge.builder("tandem.backend.in.flight", b, Backend::inFlight)
          .description("Requests sent to the backend and not finished").tag("backend", b.id()).register(registry);
      for (BackendState s : BackendState.values()) {
        Gauge.builder("tandem.backend.state", b, x -> x.state() == s ? 1 : 0)
            .description("1 for the backend's current state").tag("backend", b.id()).tag("state", s.name())
            .register(registry);
      }
      Gauge.builder("tandem.backend.weight", b, x -> x.config().weight()).tag("backend", b.id()).register(registry);
    }
  }

  /** The table's size, and a count of the bindings this node makes. */
  public void bindSticky(StickyTable table) {
    Gauge.builder("tandem.sticky.entries", table, StickyTable::size)
        .description("Live sticky bindings").register(registry);
    table.addListener(new StickyTable.Listener() {
      @Override
      public void bound(Binding binding) {
        binds.increment();
      }

      @Override
      public void rebound(Binding binding, String fromBackend, RebindReason reason) {}

      @Override
      public void removed(String key, long version) {}
    });
  }

  /** 1 while this node holds the VIP. */
  public void bindVip(FloatingIp vip) {
    Gauge.builder("tandem.vip.held", vip, v -> v.held() ? 1 : 0).description("1 while this node holds the VIP")
        .register(registry);
  }

  /** Bytes of sticky replication sent and received. */
  public void bindReplication(ReplicatedStickyTable table) {
    FunctionCounter.builder("tandem.replication.bytes", table, ReplicatedStickyTable::bytesSent)
        .description("Sticky replication bytes").tag("direction", "sent").register(registry);
    FunctionCounter.builder("tandem.replication.bytes", table, ReplicatedStickyTable::bytesReceived)
        .description("Sticky replication bytes").tag("direction", "received").register(registry);
  }

  @Override
  public void record(String sender, long lagMillis) {
    lag.record(Math.max(0, lagMillis), TimeUnit.MILLISECONDS);
    lastLagMillis = lagMillis;
  }

  /** The replication lag of the last batch received (ms; -1 before the first). */
  public long lastReplicationLagMillis() {
    return lastLagMillis;
  }

  @Override
  public void stateChanged(NodeState from, NodeState to, long epoch, String reason) {
    this.state = to;
    this.epoch = epoch;
  }

  @Override
  public void becameMaster(long epoch, String reason, long tookMillis) {
    this.epoch = epoch;
    this.state = NodeState.MASTER;
    String r = reasonLabel(reason);
    failovers.computeIfAbsent(r, k -> Counter.builder("tandem.failovers").description("Times this node became MASTER, by reason")
        .tag("reason", k).register(registry)).increment();
    takeover.record(tookMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void vipFault(String reason) {
    vipFaults.computeIfAbsent(reasonLabel(reason), k -> Counter.builder("tandem.vip.faults")
        .description("VIP driver failures (acquire, release, lease renewal, gratuitous ARP), by the reason's first word")
        .tag("reason", k).register(registry)).increment();
  }

  /** Bounded labels: the first word of the election's reason ("elected", "master-gone", ...). */
  private static String reasonLabel(String reason) {
    if (reason == null || reason.isBlank()) {
      return "elected";
    }
    String first = reason.trim().split("[\\s:(,]", 2)[0].toLowerCase();
    return first.replaceAll("[^a-z0-9_-]", "");
  }

  @Override
  public void viewChanged(int members, boolean merge) {
    this.members.set(members);
    viewChanges.increment();
  }

  /** One active health check's result. */
  public void healthCheck(String backendId, boolean good) {
    healthChecks.computeIfAbsent(backendId + (good ? "|ok" : "|fail"), k -> Counter.builder("tandem.health.checks")
        .description("Active health checks by result").tag("backend", backendId)
        .tag("result", good ? "ok" : "fail").register(registry)).increment();
  }

  @Override
  public void requestDone(String backendId, int status, long nanos) {
    String id = backendId == null ? NO_BACKEND : backendId;
    int cls = Math.min(Math.max(status / 100, 1), 5) - 1;
    requests.computeIfAbsent(id, this::requestCounters)[cls].increment();
    durations.computeIfAbsent(id, this::durationTimer).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer durationTimer(String backendId) {
    return Timer.builder("tandem.request.duration")
        .description("Time from request to the end of the response").tag("backend", backendId)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
  }

  /**
   * Requests to this backend so far, and of those the 5xx answers, from the same
   * {@code tandem_requests_total} counters (for the status page's rates): {@code {requests, errors}}.
   */
  public long[] backendTotals(String backendId) {
    Counter[] c = requests.get(backendId);
    if (c == null) {
      return new long[] {0, 0};
    }
    long all = 0;
    for (Counter x : c) {
      all += (long) x.count();
    }
    return new long[] {all, (long) c[CODE_CLASSES.length - 1].count()};
  }

  private Counter[] requestCounters(String backendId) {
    Counter[] out = new Counter[CODE_CLASSES.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Counter.builder("tandem.requests").description("Requests by backend and status class")
          .tag("backend", backendId).tag("code", CODE_CLASSES[i]).register(registry);
    }
    return out;
  }

  @Override
  public void proxyError(String reason) {
    proxyError(reason, 1);
  }

  private void proxyError(String reason, int n) {
    errors.computeIfAbsent(reason, r -> Counter.builder("tandem.proxy.errors")
        .description("Requests the proxy ended itself, by reason").tag("reason", r).register(registry)).increment(n);
  }

  @Override
  public void rebound(RebindReason reason) {
    rebinds.computeIfAbsent(reason, r -> Counter.builder("tandem.sticky.rebinds")
        .description("Sticky users moved off their backend, by reason").tag("reason", r.name().toLowerCase())
        .register(registry)).increment();
  }

  @Override
  public void listening(String listener, boolean tls) {
    gaugeFor(listener);
    if (tls) {
      tlsCounter(listener, "ok");
      tlsCounter(listener, "error");
    }
  }

  @Override
  public void connectionOpened(String listener) {
    connectionsTotal.increment();
    gaugeFor(listener).incrementAndGet();
  }

  @Override
  public void tlsHandshake(String listener) {
    tlsCounter(listener, "ok").increment();
  }

  @Override
  public void tlsError(String listener) {
    tlsCounter(listener, "error").increment();
  }

  private Counter tlsCounter(String listener, String result) {
    return tls.computeIfAbsent(listener + "|" + result, k -> Counter.builder("tandem.tls.handshakes")
        .description("TLS handshakes on a listener, by result").tag("listener", listener).tag("result", result)
        .register(registry));
  }

  @Override
  public void connectionClosed(String listener) {
    gaugeFor(listener).decrementAndGet();
  }

  private AtomicInteger gaugeFor(String listener) {
    return connections.computeIfAbsent(listener, l -> {
      AtomicInteger n = new AtomicInteger();
      Gauge.builder("tandem.frontend.connections", n, AtomicInteger::get)
          .description("Open client connections").tag("listener", l).register(registry);
      return n;
    });
  }
}
