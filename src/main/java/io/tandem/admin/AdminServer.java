package io.tandem.admin;

import io.tandem.backend.AdminState;
import io.tandem.backend.Backend;
import io.tandem.backend.BackendPool;
import io.tandem.config.AdminConfig;
import io.tandem.metrics.TandemMetrics;
import io.tandem.sticky.Binding;
import io.tandem.sticky.StickyTable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The admin API. Every {@code /api} route needs the bearer token; {@code /metrics} too unless
 * {@code admin.metrics-open}; {@code /healthz} and {@code /readyz} are open (load balancers and
 * orchestrators probe them without secrets). Handlers only read snapshots or flip a state.
 *
 * <p>{@code GET /} is the status page (HTML/CSS/JS from {@code io/tandem/admin/status/} in the
 * jar). A browser logs in with the token once ({@code POST /login}); it is then kept in the
 * {@value #COOKIE} cookie (HttpOnly, SameSite=Strict), which the {@code /api} routes accept as an
 * alternative to the Authorization header. A cookie-authenticated POST must also carry
 * {@code X-Tandem-Request: 1}: a cross-site form cannot set a header, and a cross-origin fetch that
 * sets one needs a CORS preflight this server never grants.
 */
public final class AdminServer {
  private final Vertx vertx;
  private final AdminConfig config;
  private final AdminToken token;
  private final BackendPool pool;
  private final StickyTable table;
  private final TandemMetrics metrics;
  private final NodeStatus status;
  private final Supplier<Future<Void>> reloadTls;
  private final Function<String, Optional<String>> cookieToKey;
  private final PairControl control;
  private HttpServer server;
  /** The longest handoff the API waits for. */
  static final java.time.Duration MAX_HANDOFF = java.time.Duration.ofMinutes(5);
  static final java.time.Duration DEFAULT_HANDOFF = java.time.Duration.ofSeconds(10);

  static final String COOKIE = "tandem_admin";
  static final String CSRF_HEADER = "X-Tandem-Request";
  private static final String HTML = "text/html; charset=utf-8";
  private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  private static final Buffer PAGE = resource("index.html");
  private static final Buffer CSS = resource("status.css");
  private static final Buffer JS = resource("status.js");
  private static final String LOGIN = resource("login.html").toString(StandardCharsets.UTF_8);

  private enum Auth { NONE, HEADER, COOKIE }

  public AdminServer(Vertx vertx, AdminConfig config, AdminToken token, BackendPool pool, StickyTable table,
      TandemMetrics metrics, NodeStatus status, Supplier<Future<Void>> reloadTls,
      Function<String, Optional<String>> cookieToKey) {
    this(vertx, config, token, pool, table, metrics, status, reloadTls, cookieToKey, PairControl.NONE);
  }

  public AdminServer(Vertx vertx, AdminConfig config, AdminToken token, BackendPool pool, StickyTable table,
      TandemMetrics metrics, NodeStatus status, Supplier<Future<Void>> reloadTls,
      Function<String, Optional<String>> cookieToKey, PairControl control) {
    this.control = control;
    this.vertx = vertx;
    this.config = config;
    this.token = token;
    this.pool = pool;
    this.table = table;
    this.metrics = metrics;
    this.status = status;
    this.reloadTls = reloadTls;
    this.cookieToKey = cookieToKey;
  }

  public Future<Integer> start() {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(ctx -> text(ctx, 200, "ok\n"));
    router.get("/readyz").handler(ctx -> {
      boolean ready = status.ready();
      text(ctx, ready ? 200 : 503, ready ? "ready\n" : "not ready\n");
    });
    router.get("/metrics").handler(ctx -> {
      if (!config.metricsOpen() && !authorized(ctx)) {
        return;
      }
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
          .end(metrics.scrape());
    });
    router.get("/").handler(ctx -> {
      if (token.matches(cookieToken(ctx))) {
        page(ctx, 200, HTML, PAGE);
      } else {
        login(ctx, 200, "");
      }
    });
    router.get("/status.css").handler(ctx -> page(ctx, 200, "text/css; charset=utf-8", CSS));
    router.get("/status.js").handler(ctx -> page(ctx, 200, "text/javascript; charset=utf-8", JS));
    router.get("/login").handler(ctx -> redirect(ctx, null));
    router.post("/login").handler(BodyHandler.create(false).setBodyLimit(4096)).handler(ctx -> {
      String given = ctx.request().getFormAttribute("token");
      given = given == null ? null : given.trim();
      if (!token.matches(given)) {
        login(ctx, 401, "<p class=\"error\" id=\"login-error\">Wrong token.</p>");
        return;
      }
      // No Secure attribute: the admin address is plain http (keep it on loopback or a private network).
      redirect(ctx, COOKIE + "=" + URLEncoder.encode(given, StandardCharsets.UTF_8) + "; HttpOnly; SameSite=Strict; Path=/");
    });
    router.post("/logout").handler(ctx ->
        redirect(ctx, COOKIE + "=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/"));
    router.route("/api/*").handler(ctx -> {
      if (authorized(ctx)) {
        ctx.next();
      }
    });
    router.get("/api/status").handler(ctx -> json(ctx, 200, statusJson()));
    router.get("/api/backends").handler(ctx -> json(ctx, 200, new JsonObject().put("backends", backendsJson())));
    router.post("/api/backends/:id/:action").handler(this::changeBackend);
    router.get("/api/sessions").handler(this::sessions);
    router.post("/api/failover").handler(ctx -> {
      java.time.Duration timeout = timeoutParam(ctx);
      if (timeout != null) {
        answer(ctx, control.failover(blankToNull(ctx.request().getParam("to")), timeout));
      }
    });
    router.post("/api/maintenance/:state").handler(ctx -> {
      String state = ctx.pathParam("state");
      if (!state.equals("on") && !state.equals("off")) {
        json(ctx, 404, error("unknown maintenance state '" + state + "' (expected: on or off)"));
        return;
      }
      java.time.Duration timeout = timeoutParam(ctx);
      if (timeout != null) {
        answer(ctx, control.maintenance(blankToNull(ctx.request().getParam("node")), state.equals("on"), timeout));
      }
    });
    router.post("/api/reload-tls").handler(ctx -> reloadTls.get().onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, 200, new JsonObject().put("reloaded", true));
      } else {
        json(ctx, 500, error("reload failed: " + ar.cause().getMessage()));
      }
    }));
    router.route().last().handler(ctx -> json(ctx, 404, error("no such endpoint: " + ctx.request().method() + " " + ctx.request().path())));
    router.errorHandler(405, ctx -> json(ctx, 405, error("method not allowed")));
    router.errorHandler(500, ctx -> json(ctx, 500, error("internal error")));
    HttpServerOptions options = new HttpServerOptions().setHost(config.address().host()).setPort(config.address().port());
    return vertx.createHttpServer(options).requestHandler(router).listen().map(s -> {
      server = s;
      return s.actualPort();
    });
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private boolean authorized(RoutingContext ctx) {
    Auth auth = authOf(ctx);
    if (auth == Auth.NONE) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tandem\"");
      json(ctx, 401, error("missing or wrong bearer token"));
      return false;
    }
    String method = ctx.request().method().name();
    boolean safe = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    if (auth == Auth.COOKIE && !safe && !"1".equals(ctx.request().getHeader(CSRF_HEADER))) {
      json(ctx, 403, error("a request authenticated by the " + COOKIE + " cookie must send the header "
          + CSRF_HEADER + ": 1 (CSRF guard); scripts and tandemctl use Authorization: Bearer instead"));
      return false;
    }
    return true;
  }

  private Auth authOf(RoutingContext ctx) {
    if (token.matchesHeader(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      return Auth.HEADER;
    }
    return token.matches(cookieToken(ctx)) ? Auth.COOKIE : Auth.NONE;
  }

  private static String cookieToken(RoutingContext ctx) {
    Cookie c = ctx.request().getCookie(COOKIE);
    if (c == null) {
      return null;
    }
    try {
      return URLDecoder.decode(c.getValue(), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void page(RoutingContext ctx, int status, String type, Buffer body) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, type)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .end(body);
  }

  private static void login(RoutingContext ctx, int status, String errorHtml) {
    page(ctx, status, HTML, Buffer.buffer(LOGIN.replace("<!--error-->", errorHtml), "UTF-8"));
  }

  private static void redirect(RoutingContext ctx, String setCookie) {
    if (setCookie != null) {
      ctx.response().putHeader(HttpHeaders.SET_COOKIE, setCookie);
    }
    ctx.response().setStatusCode(303).putHeader(HttpHeaders.LOCATION, "/")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
  }

  private static Buffer resource(String name) {
    try (InputStream in = AdminServer.class.getResourceAsStream("status/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource io/tandem/admin/status/" + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonObject statusJson() {
    JsonObject s = status.snapshot().copy();
    JsonObject sticky = new JsonObject().put("entries", table.size());
    s.put("sticky", sticky);
    s.put("backends", backendsJson());
    return s;
  }

  private JsonArray backendsJson() {
    JsonArray out = new JsonArray();
    for (Backend b : pool.all()) {
      out.add(backendJson(b));
    }
    return out;
  }

  private JsonObject backendJson(Backend b) {
    long[] totals = metrics.backendTotals(b.id());
    return new JsonObject()
        .put("id", b.id())
        .put("url", b.config().url().toString())
        .put("weight", b.config().weight())
        .put("state", b.state().name())
        .put("admin_state", b.adminState().name())
        .put("healthy", b.healthy())
        .put("ejected", b.ejected())
        .put("in_flight", b.inFlight())
        .put("requests_total", totals[0])
        .put("errors_total", totals[1]);
  }

  private void changeBackend(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    AdminState state = switch (ctx.pathParam("action")) {
      case "drain" -> AdminState.DRAIN;
      case "enable" -> AdminState.ENABLED;
      case "maint" -> AdminState.MAINT;
      default -> null;
    };
    if (state == null) {
      json(ctx, 404, error("unknown action '" + ctx.pathParam("action") + "' (expected: drain, enable or maint)"));
      return;
    }
    if (!pool.setAdminState(id, state)) {
      json(ctx, 404, error("no backend with id '" + id + "'"));
      return;
    }
    json(ctx, 200, backendJson(pool.byId(id).orElseThrow()));
  }

  private void sessions(RoutingContext ctx) {
    String key = ctx.request().getParam("key");
    String cookie = ctx.request().getParam("cookie");
    if (key == null && cookie != null) {
      // The operator knows the user's cookie value, not how the table namespaces it.
      key = cookieToKey.apply(cookie).orElse("");
    }
    if (key != null) {
      Optional<Binding> b = table.get(key);
      if (b.isEmpty()) {
        json(ctx, 404, error("no binding for " + (cookie != null ? "cookie '" + cookie : "key '" + key) + "'"));
        return;
      }
      Binding binding = b.get();
      json(ctx, 200, new JsonObject().put("key", binding.key()).put("backend", binding.backendId())
          .put("version", binding.version()).put("last_seen_ms", binding.lastSeenMillis()));
      return;
    }
    String backend = ctx.request().getParam("backend");
    Map<String, Integer> counts = table.countByBackend();
    JsonObject by = new JsonObject();
    counts.forEach((id, n) -> {
      if (backend == null || backend.equals(id)) {
        by.put(id, n);
      }
    });
    json(ctx, 200, new JsonObject().put("total", table.size()).put("by_backend", by));
  }

  /** The {@code timeout} parameter (default 10s, at most 5m), or null after answering 400. */
  private static java.time.Duration timeoutParam(RoutingContext ctx) {
    String t = ctx.request().getParam("timeout");
    if (t == null || t.isBlank()) {
      return DEFAULT_HANDOFF;
    }
    java.time.Duration d = null;
    try {
      d = io.tandem.config.Durations.parse(t.trim());
    } catch (IllegalArgumentException e) {
      // Answered below.
    }
    if (d == null || d.isZero() || d.compareTo(MAX_HANDOFF) > 0) {
      json(ctx, 400, error("timeout: '" + t + "' (expected: a duration from 1ms to 5m such as 10s)"));
      return null;
    }
    return d;
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static void answer(RoutingContext ctx, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, 200, ar.result());
      } else if (ar.cause() instanceof PairControl.Refusal r) {
        json(ctx, r.status(), error(r.getMessage()));
      } else {
        json(ctx, 500, error("internal error: " + ar.cause().getMessage()));
      }
    });
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("error", message);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encodePrettily() + "\n");
  }

  private static void text(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end(body);
  }
}
