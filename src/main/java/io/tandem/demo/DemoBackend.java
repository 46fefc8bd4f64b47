package io.tandem.demo;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A web app with server-side, in-memory sessions, the kind that outgrows one server: a user who
 * lands on another backend, or on this one after a restart, is unknown there. Tests and failover
 * drills run several of these behind Tandem to make session loss visible.
 *
 * <p>Each {@link #start} deploys a fresh server on its own event-loop context; its sessions live in
 * a plain {@code HashMap} touched only on that context, so {@link #stop} followed by {@code start}
 * behaves like a process restart and forgets every session; the health flag is reset to up on
 * every start as well.
 *
 * <p>Endpoints: {@code POST /login}, {@code GET /counter}, {@code GET /} (HTML), {@code GET /headers},
 * {@code GET /health}, {@code POST /health/down}, {@code POST /health/up}, {@code GET /slow?ms=N},
 * {@code POST /upload}, {@code GET /download?bytes=N}, {@code GET /ws} (WebSocket echo). Every
 * HTTP response carries {@code X-Backend: NAME}.
 */
public final class DemoBackend {

  private final Vertx vertx;
  private final String name;
  private final AtomicBoolean healthy = new AtomicBoolean(true);
  private final AtomicReference<Running> running = new AtomicReference<>();

  /**
   * @param name shown in every reply and in the {@code X-Backend} header; printable ASCII
   * @throws IllegalArgumentException if the name is empty or not printable ASCII
   */
  public DemoBackend(Vertx vertx, String name) {
    if (vertx == null) {
      throw new IllegalArgumentException("vertx: null (expected: a Vertx instance)");
    }
    if (name == null || name.isBlank() || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(
          "name: " + name + " (expected: non-blank printable ASCII)");
    }
    this.vertx = vertx;
    this.name = name;
  }

  /**
   * Listens on {@code host:port} (port 0 picks a free port) and completes with the bound port.
   * Fails if this backend is already started or still stopping.
   */
  public Future<Integer> start(String host, int port) {
    if (host == null || host.isBlank()) {
      return Future.failedFuture(
          new IllegalArgumentException("host: " + host + " (expected: a host name or address)"));
    }
    if (port < 0 || port > 65535) {
      return Future.failedFuture(
          new IllegalArgumentException("port: " + port + " (expected: 0-65535)"));
    }
    DemoServer server = new DemoServer(name, healthy, host, port);
    Promise<String> deployed = Promise.promise();
    Running run = new Running(server, deployed.future());
    if (!running.compareAndSet(null, run)) {
      return Future.failedFuture(new IllegalStateException(name + ": already started"));
    }
    healthy.set(true);
    vertx.deployVerticle(server).onComplete(deployed);
    return run.deployment
        .andThen(ar -> {
          if (ar.failed()) {
            running.compareAndSet(run, null);
          }
        })
        .map(id -> server.port());
  }

  /**
   * Closes the server and forgets all sessions; completes at once if not started. Calls while a
   * stop is under way share its future.
   */
  public Future<Void> stop() {
    Running run = running.get();
    if (run == null) {
      return Future.succeededFuture();
    }
    return run.stop(vertx).andThen(ar -> running.compareAndSet(run, null));
  }

  public String name() {
    return name;
  }

  /** The bound port, or -1 when not listening. */
  public int port() {
    Running run = running.get();
    return run == null ? -1 : run.server().port();
  }

  /** Sessions currently known; 0 when stopped. Safe to call from any thread. */
  public int sessionCount() {
    Running run = running.get();
    return run == null ? 0 : run.server().sessionCount();
  }

  /** Whether {@code GET /health} answers 200 (true) or 503 (false). */
  public boolean healthy() {
    return healthy.get();
  }

  /** Same as {@code POST /health/up} or {@code /health/down}, for tests that hold the object. */
  public void setHealthy(boolean up) {
    healthy.set(up);
  }

  /**
   * The byte at {@code offset} of every {@code /download} body, so a test can check that a body
   * passed through a proxy intact.
   */
  public static byte downloadByte(long offset) {
    return StreamEndpoints.patternByte(offset);
  }

  @Override
  public String toString() {
    return "DemoBackend[" + name + "]";
  }

  /** One deployment, from start until its undeployment completes. */
  private static final class Running {
    private final DemoServer server;
    private final Future<String> deployment;
    private final AtomicReference<Future<Void>> stopping = new AtomicReference<>();

    Running(DemoServer server, Future<String> deployment) {
      this.server = server;
      this.deployment = deployment;
    }

    DemoServer server() {
      return server;
    }

    Future<Void> stop(Vertx vertx) {
      Promise<Void> stopped = Promise.promise();
      if (!stopping.compareAndSet(null, stopped.future())) {
        return stopping.get();
      }
      deployment
          .transform(ar -> ar.succeeded() ? vertx.undeploy(ar.result()) : Future.<Void>succeededFuture())
          .onComplete(stopped);
      return stopped.future();
    }
  }
}
