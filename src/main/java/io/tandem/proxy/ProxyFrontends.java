package io.tandem.proxy;

import io.tandem.backend.BackendPool;
import io.tandem.config.ListenConfig;
import io.tandem.config.TandemConfig;
import io.tandem.sticky.StickyPolicy;
import io.tandem.sticky.StickyTable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The data path as the composition root sees it: start the listeners on {@code instances} event
 * loops, report their bound ports, reload their certificates, stop them.
 */
public final class ProxyFrontends {
  private final Vertx vertx;
  private final TandemConfig config;
  private final BackendPool pool;
  private final BackendChooser chooser;
  private final StickyPolicy policy;
  private final ProxyObserver observer;
  private final ProxyHandler.DrainSignal drain;
  private final int instances;
  private final List<List<HttpServer>> servers = new ArrayList<>();
  private final List<ProxyVerticle> verticles = new CopyOnWriteArrayList<>();
  private volatile boolean servingVip;
  private volatile boolean draining;
  private final ProbeResponder probe;
  private final LoopWatch loopWatch;
  private String deployment;

  public ProxyFrontends(Vertx vertx, TandemConfig config, BackendPool pool, StickyTable table,
      StickyPolicy policy, ProxyObserver observer, java.util.function.BooleanSupplier draining, int instances,
      ProbeResponder probe, LoopWatch loopWatch) {
    this.vertx = vertx;
    this.config = config;
    this.pool = pool;
    this.observer = observer;
    this.chooser = new BackendChooser(pool, table, policy, observer::rebound);
    this.policy = policy;
    this.drain = () -> this.draining || draining.getAsBoolean();
    this.instances = instances;
    this.probe = probe;
    this.loopWatch = loopWatch;
    for (int i = 0; i < config.listen().size(); i++) {
      servers.add(new CopyOnWriteArrayList<>());
    }
  }

  public Future<Void> start() {
    boolean anyPortZero = config.listen().stream().anyMatch(l -> l.address().port() == 0);
    // Several servers on port 0 would each get a different random port; tests ask for one instance.
    int n = anyPortZero ? 1 : instances;
    return vertx.deployVerticle(() -> new ProxyVerticle(this, config),
            new DeploymentOptions().setInstances(n))
        .onSuccess(id -> deployment = id)
        .mapEmpty();
  }

  /**
   * Sends {@code requests} requests through each event loop's data path to a stub backend inside
   * the node (see {@link WarmUp}): nothing reaches the backends, the metrics or the sticky table.
   * Completes with what it did, for the log.
   */
  public Future<WarmUpResult> warmUp(int requests) {
    if (requests <= 0 || verticles.isEmpty()) {
      return Future.succeededFuture(new WarmUpResult(0, 0, 0, 0));
    }
    long began = System.nanoTime();
    List<ProxyVerticle> loops = List.copyOf(verticles);
    return WarmUp.stub(vertx, config.sticky().cookie()).compose(stub -> {
      WarmUp w = new WarmUp(config, policy, requests, stub.actualPort());
      List<Future<Integer>> runs = new ArrayList<>();
      for (ProxyVerticle v : loops) {
        runs.add(v.warmUp(w));
      }
      return Future.all(runs).map(all -> {
        int failed = 0;
        for (int i = 0; i < runs.size(); i++) {
          failed += runs.get(i).result();
        }
        return new WarmUpResult(loops.size(), requests, failed, (System.nanoTime() - began) / 1_000_000);
      }).eventually(stub::close);
    });
  }

  /** What a warm-up did: requests sent through each of {@code loops} event loops, how many failed, in how long. */
  public record WarmUpResult(int loops, int requestsPerLoop, int failed, long millis) {}

  public Future<Void> stop() {
    Future<Void> vip = stopVip();
    return deployment == null ? vip : vip.eventually(() -> vertx.undeploy(deployment));
  }

  /**
   * Serves {@code listen} too (the VIP, while this node is MASTER) on every proxy event loop, with
   * SO_REUSEPORT. Completes when every loop listens; fails, with nothing left bound, otherwise.
   */
  public Future<Void> startVip(ListenConfig listen) {
    List<Future<Void>> started = new ArrayList<>();
    for (ProxyVerticle v : verticles) {
      started.add(v.startVip(listen));
    }
    if (started.isEmpty()) {
      return Future.failedFuture("the proxy is not running");
    }
    return Future.all(started).<Void>mapEmpty()
        .onSuccess(x -> servingVip = true)
        .recover(e -> stopVip().transform(x -> Future.failedFuture(e)));
  }

  /** Stops serving the VIP: its listening sockets close now; accepted connections finish their requests. */
  public Future<Void> stopVip() {
    servingVip = false;
    List<Future<Void>> stopped = new ArrayList<>();
    for (ProxyVerticle v : verticles) {
      stopped.add(v.stopVip());
    }
    return Future.join(stopped).mapEmpty();
  }

  public boolean servingVip() {
    return servingVip;
  }

  /**
   * A planned handoff: from now on responses carry {@code Connection: close}, and every VIP
   * connection with no request in progress is closed now (a client that sent one meanwhile gets its
   * answer first: only connections idle on their own event loop are closed).
   */
  public void beginDrain() {
    draining = true;
    for (ProxyVerticle v : verticles) {
      v.closeIdleVipConnections();
    }
  }

  public void endDrain() {
    draining = false;
  }

  /** Requests in progress on the VIP's connections, on every event loop. */
  public int vipInFlight() {
    int n = 0;
    for (ProxyVerticle v : verticles) {
      n += v.vipInFlight();
    }
    return n;
  }

  void registerVerticle(ProxyVerticle v) {
    verticles.add(v);
  }

  void unregisterVerticle(ProxyVerticle v) {
    verticles.remove(v);
  }

  /** The port each listener is bound to, in config order (useful when the config asked for port 0). */
  public List<Integer> boundPorts() {
    List<Integer> ports = new ArrayList<>();
    for (List<HttpServer> list : servers) {
      ports.add(list.isEmpty() ? -1 : list.get(0).actualPort());
    }
    return ports;
  }

  /**
   * Reads every TLS listener's certificate files again and applies them to new connections; open
   * connections keep theirs. Fails, leaving the old certificates in place, if a file is unreadable
   * or a key does not match.
   */
  public Future<Void> reloadTls() {
    List<Future<Boolean>> updates = new ArrayList<>();
    for (int i = 0; i < config.listen().size(); i++) {
      ListenConfig listen = config.listen().get(i);
      if (listen.tls().isEmpty()) {
        continue;
      }
      for (HttpServer s : servers.get(i)) {
        updates.add(s.updateSSLOptions(ServerOptionsFactory.sslOptions(listen.tls().get()), true));
      }
    }
    return Future.all(updates).mapEmpty();
  }

  void register(int listenerIndex, HttpServer server) {
    servers.get(listenerIndex).add(server);
  }

  BackendPool pool() {
    return pool;
  }

  BackendChooser chooser() {
    return chooser;
  }

  ProxyObserver observer() {
    return observer;
  }

  /** Beats of this node's proxy event loops (the data path's liveness). */
  public LoopWatch loopWatch() {
    return loopWatch;
  }

  ProbeResponder probe() {
    return probe;
  }

  ProxyHandler.DrainSignal drainSignal() {
    return drain;
  }
}
