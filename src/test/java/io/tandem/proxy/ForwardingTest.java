package io.tandem.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.testing.Http;
import io.tandem.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ForwardingTest {
  static Vertx vertx;
  static TestNode node;
  final Http http = new Http();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    node = TestNode.builder(vertx).backends(2).sticky("{mode: none}").start();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    vertx.close().await();
  }

  String url(String path) {
    return "http://127.0.0.1:" + node.port() + path;
  }

  @Test
  void addsForwardedHeadersAndKeepsHost() throws Exception {
    HttpResponse<String> r = http.get(url("/headers"));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject h = lower(new JsonObject(r.body()));
    assertThat(h.getString("host")).isEqualTo("127.0.0.1:" + node.port());
    assertThat(h.getString("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(h.getString("x-forwarded-proto")).isEqualTo("http");
    assertThat(h.getString("x-forwarded-host")).isEqualTo("127.0.0.1:" + node.port());
    assertThat(h.getString("x-forwarded-port")).isEqualTo(Integer.toString(node.port()));
    assertThat(h.getString("x-request-id")).matches("[0-9a-f]{32}");
  }

  @Test
  void appendsToAnExistingForwardedForAndKeepsARequestId() throws Exception {
    HttpResponse<String> r = http.get(url("/headers"), "X-Forwarded-For", "203.0.113.7", "X-Request-Id", "abc-1");
    JsonObject h = lower(new JsonObject(r.body()));
    assertThat(h.getString("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
    assertThat(h.getString("x-request-id")).isEqualTo("abc-1");
  }

  @Test
  void stripsHopByHopHeadersAndThoseNamedInConnection() throws Exception {
    String req = "GET /headers HTTP/1.1\r\nHost: site.example\r\nConnection: close, X-Secret\r\n"
        + "X-Secret: 1\r\nKeep-Alive: timeout=5\r\nProxy-Authorization: Basic eA==\r\nX-Kept: yes\r\n\r\n";
    Http.RawResult r = Http.raw(node.port(), req, Duration.ofSeconds(5));
    assertThat(r.status()).isEqualTo(200);
    String body = r.text().substring(r.text().indexOf("\r\n\r\n") + 4);
    JsonObject h = lower(new JsonObject(body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1)));
    assertThat(h.getString("host")).isEqualTo("site.example");
    assertThat(h.getString("x-kept")).isEqualTo("yes");
    assertThat(h.fieldNames()).doesNotContain("x-secret", "keep-alive", "proxy-authorization");
  }

  @Test
  void spreadsNewUsersOverBackendsWithoutSticky() throws Exception {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      seen.add(http.get(url("/health")).headers().firstValue("x-backend").orElse("?"));
    }
    assertThat(seen).containsExactlyInAnyOrder("web1", "web2");
  }

  @Test
  void streamsAPostBodyToTheBackend() throws Exception {
    String body = "x".repeat(300_000);
    HttpResponse<String> r = http.post(url("/upload"), body);
    assertThat(new JsonObject(r.body()).getLong("bytes")).isEqualTo(300_000L);
  }

  private static JsonObject lower(JsonObject o) {
    JsonObject out = new JsonObject();
    o.forEach(e -> out.put(e.getKey().toLowerCase(), e.getValue()));
    return out;
  }
}
