package io.tandem.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.testing.Http;
import io.tandem.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StatusPageTest {
  @RegisterExtension
  static final AdminNode node = new AdminNode();
  final Http http = new Http();
  static final String COOKIE = "tandem_admin=" + TestNode.TOKEN;
  static final String FORM = "application/x-www-form-urlencoded";

  HttpResponse<String> login(String token) throws Exception {
    return http.post(node.admin("/login"), "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8), "Content-Type", FORM);
  }

  @Test
  void withoutTheCookieTheRootIsTheLoginForm() throws Exception {
    HttpResponse<String> r = http.get(node.admin("/"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(r.body()).contains("<form id=\"login\" method=\"post\" action=\"/login\"", "type=\"password\"", "name=\"token\"")
        .doesNotContain("id=\"backends\"", "login-error");
    assertThat(http.get(node.admin("/"), "Cookie", "tandem_admin=wrong-token-0123456789").body()).contains("id=\"login\"");
  }

  @Test
  void aWrongTokenShowsTheFormAgainWith401() throws Exception {
    HttpResponse<String> r = login("wrong-token-0123456789");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("id=\"login\"", "id=\"login-error\"", "Wrong token");
    assertThat(r.headers().allValues("set-cookie")).isEmpty();
    assertThat(http.post(node.admin("/login"), "", "Content-Type", FORM).statusCode()).isEqualTo(401);
  }

  @Test
  void theRightTokenSetsTheCookieAndRedirects() throws Exception {
    HttpResponse<String> r = login(TestNode.TOKEN);
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("location")).hasValue("/");
    String set = r.headers().firstValue("set-cookie").orElseThrow();
    assertThat(set).startsWith(COOKIE + ";").contains("HttpOnly", "SameSite=Strict", "Path=/");
    assertThat(Http.cookies(r)).isEqualTo(COOKIE);
  }

  @Test
  void withTheCookieTheRootIsThePage() throws Exception {
    HttpResponse<String> r = http.get(node.admin("/"), "Cookie", COOKIE);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(r.headers().firstValue("content-security-policy")).hasValueSatisfying(v -> assertThat(v).contains("script-src 'self'"));
    assertThat(r.body()).contains("id=\"backends\"", "id=\"members\"", "src=\"/status.js\"", "href=\"/status.css\"")
        .doesNotContain("id=\"login\"", "<script>", "http://", "https://");
  }

  @Test
  void logoutClearsTheCookie() throws Exception {
    HttpResponse<String> r = http.post(node.admin("/logout"), "", "Cookie", COOKIE);
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("set-cookie")).hasValueSatisfying(v -> assertThat(v).startsWith("tandem_admin=;").contains("Max-Age=0"));
  }

  @Test
  void theApiAcceptsTheCookie() throws Exception {
    HttpResponse<String> r = http.get(node.admin("/api/status"), "Cookie", COOKIE);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("node")).isEqualTo("test1");
    assertThat(http.get(node.admin("/api/status"), "Cookie", "tandem_admin=wrong-token-0123456789").statusCode()).isEqualTo(401);
    assertThat(http.get(node.admin("/metrics"), "Cookie", COOKIE).statusCode()).isEqualTo(200);
  }

  @Test
  void aCookiePostNeedsTheCsrfHeader() throws Exception {
    HttpResponse<String> refused = http.post(node.admin("/api/backends/web1/drain"), "", "Cookie", COOKIE);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(refused.body()).getString("error")).contains("X-Tandem-Request: 1");
    assertThat(backend("web1").getString("admin_state")).isEqualTo("ENABLED");
    assertThat(http.post(node.admin("/api/backends/web1/drain"), "", "Cookie", COOKIE, "X-Tandem-Request", "0").statusCode())
        .isEqualTo(403);

    HttpResponse<String> drained = http.post(node.admin("/api/backends/web1/drain"), "", "Cookie", COOKIE, "X-Tandem-Request", "1");
    assertThat(drained.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(drained.body()).getString("state")).isEqualTo("DRAIN");
    assertThat(backend("web1").getString("state")).isEqualTo("DRAIN");

    HttpResponse<String> enabled = http.post(node.admin("/api/backends/web1/enable"), "", "Cookie", COOKIE, "X-Tandem-Request", "1");
    assertThat(enabled.statusCode()).isEqualTo(200);
    assertThat(backend("web1").getString("admin_state")).isEqualTo("ENABLED");
  }

  @Test
  void theBearerTokenAloneStillNeedsNoCsrfHeader() throws Exception {
    HttpResponse<String> r = http.post(node.admin("/api/backends/web2/enable"), "", "Authorization", "Bearer " + TestNode.TOKEN);
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void backendsCarryRequestAndErrorTotals() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(http.get("http://127.0.0.1:" + node.port() + "/health").statusCode()).isEqualTo(200);
    }
    JsonArray all = new JsonObject(http.get(node.admin("/api/backends"), "Cookie", COOKIE).body()).getJsonArray("backends");
    long requests = 0;
    for (int i = 0; i < all.size(); i++) {
      JsonObject b = all.getJsonObject(i);
      assertThat(b.getLong("errors_total")).isNotNull().isGreaterThanOrEqualTo(0);
      requests += b.getLong("requests_total");
    }
    assertThat(requests).isGreaterThanOrEqualTo(3);
  }

  @Test
  void staticAssetsHaveTheirContentTypes() throws Exception {
    HttpResponse<String> css = http.get(node.admin("/status.css"));
    assertThat(css.statusCode()).isEqualTo(200);
    assertThat(css.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/css"));
    assertThat(css.body()).contains("#events");
    HttpResponse<String> js = http.get(node.admin("/status.js"));
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
    assertThat(js.headers().firstValue("x-content-type-options")).hasValue("nosniff");
    assertThat(js.body()).contains("/api/status", "X-Tandem-Request", "credentials: 'same-origin'", "data-action", "dataset.backend");
  }

  @Test
  void thePagesFilesAreInTheJar() throws Exception {
    for (String name : new String[] {"index.html", "status.css", "status.js", "login.html"}) {
      try (InputStream in = AdminServer.class.getResourceAsStream("status/" + name)) {
        assertThat(in).as(name).isNotNull();
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(text).as(name).doesNotContain("https://", "//cdn", "fonts.googleapis");
        if (name.equals("status.js")) {
          assertThat(text).contains("'/api/status'");
        }
      }
    }
  }

  JsonObject backend(String id) throws Exception {
    JsonArray all = new JsonObject(http.get(node.admin("/api/backends"), "Cookie", COOKIE).body()).getJsonArray("backends");
    for (int i = 0; i < all.size(); i++) {
      if (all.getJsonObject(i).getString("id").equals(id)) {
        return all.getJsonObject(i);
      }
    }
    throw new AssertionError("no backend " + id);
  }
}
