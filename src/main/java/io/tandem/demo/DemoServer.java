package io.tandem.demo;

import io.vertx.core.Context;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One run of a {@link DemoBackend}: an HTTP server deployed on its own event-loop context, a
 * routing table by exact path then method (unknown path 404, other method 405 with Allow), and
 * the session store, which only this context touches.
 */
final class DemoServer implements Deployable {

  private static final System.Logger LOG = System.getLogger(DemoServer.class.getName());

  private final String name;
  private final AtomicBoolean healthy;
  private final String host;
  private final int requestedPort;
  private final SessionStore sessions = new SessionStore();
  private final Map<String, Map<HttpMethod, Handler<HttpServerRequest>>> routes = new HashMap<>();
  private HttpServer server;
  private volatile int port = -1;

  DemoServer(String name, AtomicBoolean healthy, String host, int port) {
    this.name = name;
    this.healthy = healthy;
    this.host = host;
    this.requestedPort = port;
  }

  int port() {
    return port;
  }

  int sessionCount() {
    return sessions.size();
  }

  @Override
  public Future<?> deploy(Context context) {
    SessionEndpoints session = new SessionEndpoints(name, sessions);
    StreamEndpoints stream = new StreamEndpoints(name, context.owner());
    route(HttpMethod.GET, "/", session::page);
    route(HttpMethod.POST, "/login", session::login);
    route(HttpMethod.GET, "/counter", session::counter);
    route(HttpMethod.GET, "/headers", this::headers);
    route(HttpMethod.GET, "/health", this::health);
    route(HttpMethod.POST, "/health/down", req -> setHealth(req, false));
    route(HttpMethod.POST, "/health/up", req -> setHealth(req, true));
    route(HttpMethod.GET, "/slow", stream::slow);
    route(HttpMethod.POST, "/upload", stream::upload);
    route(HttpMethod.GET, "/download", stream::download);
    route(HttpMethod.GET, "/ws", stream::webSocket);

    server = context.owner()
        .createHttpServer(new HttpServerOptions().setHandle100ContinueAutomatically(true))
        .requestHandler(this::dispatch);
    return server.listen(requestedPort, host).onSuccess(s -> port = s.actualPort());
  }

  @Override
  public Future<?> undeploy(Context context) {
    port = -1;
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void route(HttpMethod method, String path, Handler<HttpServerRequest> handler) {
    routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
  }

  private void dispatch(HttpServerRequest req) {
    req.response().putHeader("X-Backend", name);
    String path = req.path();
    Map<HttpMethod, Handler<HttpServerRequest>> byMethod = path == null ? null : routes.get(path);
    if (byMethod == null) {
      Replies.error(req, 404, "no such path: " + path);
      return;
    }
    Handler<HttpServerRequest> handler = byMethod.get(req.method());
    if (handler == null) {
      req.response().putHeader("Allow",
          byMethod.keySet().stream().map(HttpMethod::name).collect(Collectors.joining(", ")));
      Replies.error(req, 405, "method " + req.method() + " not allowed on " + path);
      return;
    }
    try {
      handler.handle(req);
    } catch (BadRequest e) {
      Replies.error(req, 400, e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, () -> String.format("%s: %s %s failed", name, req.method(), path), e);
      Replies.error(req, 500, "internal error on " + name);
    }
  }

  /** Headers as received (first spelling of each name), repeated names as arrays. */
  private void headers(HttpServerRequest req) {
    JsonObject out = new JsonObject();
    Map<String, String> spelling = new HashMap<>();
    for (Map.Entry<String, String> header : req.headers()) {
      String key = spelling.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> header.getKey());
      Object previous = out.getValue(key);
      if (previous == null) {
        out.put(key, header.getValue());
      } else if (previous instanceof JsonArray values) {
        values.add(header.getValue());
      } else {
        out.put(key, new JsonArray().add(previous).add(header.getValue()));
      }
    }
    out.put("_backend", name);
    Replies.json(req, 200, out);
  }

  private void health(HttpServerRequest req) {
    if (healthy.get()) {
      Replies.text(req, 200, "ok");
    } else {
      Replies.text(req, 503, "down");
    }
  }

  private void setHealth(HttpServerRequest req, boolean up) {
    healthy.set(up);
    Replies.json(req, 200, new JsonObject().put("backend", name).put("health", up ? "up" : "down"));
  }
}
