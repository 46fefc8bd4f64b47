package io.tandem.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.backend.AdminState;
import io.tandem.backend.BackendState;
import io.tandem.testing.Http;
import io.tandem.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StickySessionsTest {
  Vertx vertx;
  TestNode node;
  final Http http = new Http();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.close();
    }
    vertx.close().await();
  }

  String url(String path) {
    return "http://127.0.0.1:" + node.port() + path;
  }

  /** Logs in and returns the Cookie header value to use from then on. */
  String login() throws Exception {
    HttpResponse<String> r = http.post(url("/login"), "");
    assertThat(r.statusCode()).isEqualTo(200);
    return Http.cookies(r);
  }

  JsonObject counter(String cookie) throws Exception {
    HttpResponse<String> r = http.get(url("/counter"), "Cookie", cookie);
    JsonObject o = new JsonObject(r.body());
    o.put("status", r.statusCode());
    return o;
  }

  @Test
  void learnModeKeepsEveryUserOnTheBackendThatIssuedItsSession() throws Exception {
    node = TestNode.builder(vertx).backends(3).sticky("{mode: learn, cookie: JSESSIONID}").start();
    Map<String, String> users = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      users.put("u" + i, login());
    }
    for (int round = 1; round <= 5; round++) {
      for (String cookie : users.values()) {
        JsonObject c = counter(cookie);
        assertThat(c.getInteger("status")).as(c.encode()).isEqualTo(200);
        assertThat(c.getInteger("count")).isEqualTo(round);
      }
    }
    assertThat(node.node().table().size()).isEqualTo(30);
    assertThat(node.backends()).allSatisfy(b -> assertThat(b.sessionCount()).isPositive());
  }

  @Test
  void insertModeSetsAnOpaqueCookieAndSticksToIt() throws Exception {
    node = TestNode.builder(vertx).backends(3).sticky("{mode: insert, cookie: SRV}").start();
    HttpResponse<String> first = http.post(url("/login"), "");
    String setCookie = String.join("\n", first.headers().allValues("set-cookie"));
    assertThat(setCookie).contains("SRV=").contains("HttpOnly").doesNotContain("127.0.0.1").doesNotContain("web");
    String cookie = Http.cookies(first);
    for (int i = 1; i <= 10; i++) {
      JsonObject c = counter(cookie);
      assertThat(c.getInteger("status")).isEqualTo(200);
      assertThat(c.getInteger("count")).isEqualTo(i);
    }
  }

  @Test
  void insertModeIgnoresAForgedCookie() throws Exception {
    node = TestNode.builder(vertx).backends(2).sticky("{mode: insert, cookie: SRV}").start();
    HttpResponse<String> r = http.get(url("/health"), "Cookie", "SRV=127.0.0.1:22");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().allValues("set-cookie")).anySatisfy(v -> assertThat(v).startsWith("SRV="));
  }

  @Test
  void sourceModeKeepsOneClientAddressOnOneBackend() throws Exception {
    node = TestNode.builder(vertx).backends(3).sticky("{mode: source}").start();
    String first = http.get(url("/health")).headers().firstValue("x-backend").orElseThrow();
    for (int i = 0; i < 10; i++) {
      assertThat(http.get(url("/health")).headers().firstValue("x-backend")).contains(first);
    }
  }

  @Test
  void rebindsOnceWhenTheBoundBackendDiesAndDoesNotBounceBack() throws Exception {
    node = TestNode.builder(vertx).backends(2).sticky("{mode: learn}").start();
    String cookie = login();
    String home = counter(cookie).getString("backend");
    int homeIndex = home.equals("web1") ? 0 : 1;
    int port = node.backend(homeIndex).port();
    node.backend(homeIndex).stop().await(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> node.node().pool().byId(home).orElseThrow().state() == BackendState.DOWN);

    // The session lived on the dead backend: the user is moved once and must log in again there.
    JsonObject moved = counter(cookie);
    assertThat(moved.getInteger("status")).isEqualTo(401);
    String other = home.equals("web1") ? "web2" : "web1";
    assertThat(moved.getString("error")).contains(other);

    node.backend(homeIndex).start("127.0.0.1", port).await(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> node.node().pool().byId(home).orElseThrow().state() == BackendState.UP);
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = http.get(url("/counter"), "Cookie", cookie);
      assertThat(r.headers().firstValue("x-backend")).contains(other);
    }
    assertThat(node.node().metrics().scrape()).contains("tandem_sticky_rebinds_total{node=\"test1\",reason=\"backend_down\"} 1.0");
  }

  @Test
  void drainKeepsBoundUsersAndSendsNewUsersElsewhere() throws Exception {
    node = TestNode.builder(vertx).backends(2).sticky("{mode: learn}").start();
    String cookie = login();
    String home = counter(cookie).getString("backend");
    node.node().pool().setAdminState(home, AdminState.DRAIN);
    for (int i = 2; i <= 5; i++) {
      JsonObject c = counter(cookie);
      assertThat(c.getString("backend")).isEqualTo(home);
      assertThat(c.getInteger("count")).isEqualTo(i);
    }
    for (int i = 0; i < 10; i++) {
      assertThat(http.post(url("/login"), "").headers().firstValue("x-backend")).isNotEqualTo(java.util.Optional.of(home));
    }
  }

  @Test
  void maintenanceMovesBoundUsersAtOnce() throws Exception {
    node = TestNode.builder(vertx).backends(2).sticky("{mode: learn}").start();
    String cookie = login();
    String home = counter(cookie).getString("backend");
    node.node().pool().setAdminState(home, AdminState.MAINT);
    HttpResponse<String> r = http.get(url("/counter"), "Cookie", cookie);
    assertThat(r.headers().firstValue("x-backend")).isNotEqualTo(java.util.Optional.of(home));
    assertThat(node.node().metrics().scrape()).contains("reason=\"backend_maint\"");
  }

  /**
   * A backend with sessions whose next {@code drops} requests on /counter lose their connection
   * before any answer, as a kept-alive connection the backend just closed, or a backend that
   * stumbles once, would.
   */
  static final class FlakyBackend {
    final String name;
    final java.util.Set<String> sessions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final java.util.concurrent.atomic.AtomicInteger drops = new java.util.concurrent.atomic.AtomicInteger();
    io.vertx.core.http.HttpServer server;

    FlakyBackend(String name) {
      this.name = name;
    }

    int start(Vertx vertx) {
      server = vertx.createHttpServer().requestHandler(req -> {
        String cookie = req.getHeader("Cookie");
        switch (req.path()) {
          case "/login" -> {
            String id = name + "-" + java.util.UUID.randomUUID();
            sessions.add(id);
            req.response().putHeader("Set-Cookie", "JSESSIONID=" + id + "; Path=/")
                .end(new JsonObject().put("backend", name).encode());
          }
          case "/counter" -> {
            if (drops.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              req.connection().close();
            } else if (cookie != null && sessions.contains(cookie.replace("JSESSIONID=", ""))) {
              req.response().end(new JsonObject().put("backend", name).encode());
            } else {
              req.response().setStatusCode(401).end(new JsonObject().put("backend", name).encode());
            }
          }
          default -> req.response().end("ok");
        }
      });
      return server.listen(0, "127.0.0.1").await().actualPort();
    }
  }

  /** Two flaky backends behind a learn-mode node; returns the user's cookie and its home backend. */
  FlakyBackend[] flakyPair() throws Exception {
    FlakyBackend a = new FlakyBackend("a");
    FlakyBackend b = new FlakyBackend("b");
    node = TestNode.builder(vertx).backends(0).sticky("{mode: learn, cookie: JSESSIONID}")
        .health("{interval: 1h, timeout: 1s}")
        .extraBackend("a", "http://127.0.0.1:" + a.start(vertx))
        .extraBackend("b", "http://127.0.0.1:" + b.start(vertx)).start();
    return new FlakyBackend[] {a, b};
  }

  @Test
  void aBrokenConnectionToTheBoundBackendIsTriedAgainThereBeforeTheUserIsMoved() throws Exception {
    FlakyBackend[] pair = flakyPair();
    String cookie = login();
    FlakyBackend home = cookie.contains("=a-") ? pair[0] : pair[1];
    home.drops.set(1);
    HttpResponse<String> r = http.get(url("/counter"), "Cookie", cookie);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("backend")).isEqualTo(home.name);
    assertThat(home.drops.get()).isZero();
    assertThat(node.node().metrics().scrape()).doesNotContain("tandem_sticky_rebinds_total{node=\"test1\",reason=\"backend_failed\"} 1");
  }

  @Test
  void aBoundBackendThatFailsTwiceMovesTheUserOnce() throws Exception {
    FlakyBackend[] pair = flakyPair();
    String cookie = login();
    FlakyBackend home = cookie.contains("=a-") ? pair[0] : pair[1];
    FlakyBackend other = home == pair[0] ? pair[1] : pair[0];
    home.drops.set(2);
    HttpResponse<String> r = http.get(url("/counter"), "Cookie", cookie);
    // Moved (its session does not exist there, as with a real application) and kept there.
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(r.body()).getString("backend")).isEqualTo(other.name);
    assertThat(new JsonObject(http.get(url("/counter"), "Cookie", cookie).body()).getString("backend")).isEqualTo(other.name);
    assertThat(node.node().metrics().scrape()).contains("tandem_sticky_rebinds_total{node=\"test1\",reason=\"backend_failed\"} 1.0");
  }

  @Test
  void aBoundBackendThatRefusesTheConnectionMovesTheUserAtOnce() throws Exception {
    FlakyBackend[] pair = flakyPair();
    String cookie = login();
    FlakyBackend home = cookie.contains("=a-") ? pair[0] : pair[1];
    FlakyBackend other = home == pair[0] ? pair[1] : pair[0];
    home.server.close().await();
    HttpResponse<String> r = http.get(url("/counter"), "Cookie", cookie);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(r.body()).getString("backend")).isEqualTo(other.name);
    assertThat(node.node().metrics().scrape()).contains("tandem_sticky_rebinds_total{node=\"test1\",reason=\"backend_failed\"} 1.0");
  }
}
