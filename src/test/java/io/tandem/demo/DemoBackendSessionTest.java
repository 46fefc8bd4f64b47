package io.tandem.demo;

import static io.tandem.demo.DemoHttp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoBackendSessionTest {

  private Vertx vertx;
  private DemoBackend a;
  private DemoHttp http;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    a = new DemoBackend(vertx, "a");
    http = new DemoHttp(await(a.start("127.0.0.1", 0)));
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  private static String cookieOf(HttpResponse<?> login) {
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  void loginCreatesSessionWithCookieAndCountZero() {
    HttpResponse<String> login = http.post("/login");

    assertThat(login.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(login.body());
    String id = body.getString("session");
    assertThat(body).isEqualTo(new JsonObject().put("backend", "a").put("session", id).put("count", 0));
    assertThat(login.body()).doesNotContain(" ");
    assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
    assertThat(login.headers().firstValue("Set-Cookie"))
        .contains("JSESSIONID=" + id + "; Path=/; HttpOnly");
    assertThat(login.headers().firstValue("X-Backend")).contains("a");
    assertThat(a.sessionCount()).isEqualTo(1);
  }

  @Test
  void counterCountsOneTwoThreeForTheLoggedInSession() {
    String cookie = cookieOf(http.post("/login"));
    String id = cookie.substring("JSESSIONID=".length());

    for (int n = 1; n <= 3; n++) {
      HttpResponse<String> r = http.get("/counter", "Cookie", cookie);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(r.body()))
          .isEqualTo(new JsonObject().put("backend", "a").put("session", id).put("count", n));
    }
  }

  @Test
  void sessionsCountIndependently() {
    String first = cookieOf(http.post("/login"));
    String second = cookieOf(http.post("/login"));
    http.get("/counter", "Cookie", first);
    http.get("/counter", "Cookie", first);

    assertThat(new JsonObject(http.get("/counter", "Cookie", second).body()).getLong("count")).isEqualTo(1);
    assertThat(a.sessionCount()).isEqualTo(2);
  }

  @Test
  void counterWithoutCookieIs401NamingTheBackend() {
    HttpResponse<String> r = http.get("/counter");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEqualTo("{\"error\":\"session unknown on a\"}");
  }

  @Test
  void counterWithUnknownSessionIs401() {
    HttpResponse<String> r = http.get("/counter", "Cookie", "JSESSIONID=nope");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("session unknown on a");
  }

  @Test
  void findsSessionAmongOtherCookiesAndSeveralCookieHeaders() {
    String cookie = cookieOf(http.post("/login"));

    assertThat(http.get("/counter", "Cookie", "theme=dark; JSESSIONID=stale; " + cookie).statusCode())
        .isEqualTo(200);
    assertThat(http.get("/counter", "Cookie", "theme=dark", "Cookie", cookie).statusCode())
        .isEqualTo(200);
  }

  @Test
  void backendsDoNotKnowEachOthersSessions() {
    DemoBackend b = new DemoBackend(vertx, "b");
    DemoHttp httpB = new DemoHttp(await(b.start("127.0.0.1", 0)));
    String cookieA = cookieOf(http.post("/login"));

    HttpResponse<String> onB = httpB.get("/counter", "Cookie", cookieA);

    assertThat(onB.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(onB.body()).getString("error")).isEqualTo("session unknown on b");
    assertThat(onB.headers().firstValue("X-Backend")).contains("b");
    assertThat(http.get("/counter", "Cookie", cookieA).statusCode()).isEqualTo(200);
  }

  @Test
  void restartOnSamePortForgetsAllSessions() {
    String cookie = cookieOf(http.post("/login"));
    int port = a.port();

    await(a.stop());
    assertThat(a.sessionCount()).isZero();
    assertThat(await(a.start("127.0.0.1", port))).isEqualTo(port);

    assertThat(http.get("/counter", "Cookie", cookie).statusCode()).isEqualTo(401);
    assertThat(a.sessionCount()).isZero();
  }

  @Test
  void browserFormLoginRedirectsToPageWithCookie() {
    HttpResponse<String> login = http.post("/login", "Accept", "text/html,application/xhtml+xml");

    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Location")).contains("/");
    assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(v -> assertThat(v).startsWith("JSESSIONID="));
  }

  @Test
  void pageShowsBackendSessionAndIncrementingCount() {
    String cookie = cookieOf(http.post("/login"));
    String id = cookie.substring("JSESSIONID=".length());

    HttpResponse<String> first = http.get("/", "Cookie", cookie);
    HttpResponse<String> second = http.get("/", "Cookie", cookie);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(first.body()).contains("Backend <span id=\"backend\">a</span>", id, "<strong>1</strong>");
    assertThat(second.body()).contains("<strong>2</strong>");
    assertThat(new JsonObject(http.get("/counter", "Cookie", cookie).body()).getLong("count")).isEqualTo(3);
  }

  @Test
  void pageOffersLoginFormWithoutSession() {
    HttpResponse<String> r = http.get("/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("<form method=\"post\" action=\"/login\">").doesNotContain("unknown");
  }

  @Test
  void pageEscapesEchoedSessionIdAndBackendName() {
    DemoBackend odd = new DemoBackend(vertx, "x<b>&\"'");
    DemoHttp oddHttp = new DemoHttp(await(odd.start("127.0.0.1", 0)));

    String body = oddHttp.get("/", "Cookie", "JSESSIONID=<script>alert(1)</script>").body();

    assertThat(body)
        .contains("x&lt;b&gt;&amp;&quot;&#39;", "&lt;script&gt;alert(1)&lt;/script&gt;", "is unknown on")
        .doesNotContain("<script>", "<b>");
  }
}
