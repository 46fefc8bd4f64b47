package io.tandem.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.AdminState;
import io.tandem.testing.Http;
import io.tandem.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErrorStatusTest {
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

  static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Test
  void answers503WithRetryAfterWhenNoBackendIsUsable() throws Exception {
    node = TestNode.builder(vertx).backends(2).start();
    node.node().pool().setAdminState("web1", AdminState.MAINT);
    node.node().pool().setAdminState("web2", AdminState.MAINT);
    HttpResponse<String> r = http.get(url("/health"));
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).contains("1");
    assertThat(node.node().metrics().scrape()).contains("tandem_proxy_errors_total{node=\"test1\",reason=\"no_backend\"}");
  }

  @Test
  void retriesAConnectFailureOnAnotherBackendForAnyMethod() throws Exception {
    // A dead backend that health checks have not caught yet (slow checks): requests must not fail.
    node = TestNode.builder(vertx).backends(1).sticky("{mode: none}")
        .health("{interval: 1h, timeout: 1s}")
        .extraBackend("dead", "http://127.0.0.1:" + closedPort()).start();
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = http.post(url("/upload"), "hello");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(r.body()).getLong("bytes")).isEqualTo(5L);
    }
  }

  /** A backend that reads a request and drops the connection without answering (it died mid-request). */
  int resettingBackend() {
    io.vertx.core.net.NetServer server = vertx.createNetServer()
        .connectHandler(so -> so.handler(b -> so.close()));
    return server.listen(0, "127.0.0.1").await().actualPort();
  }

  @Test
  void retriesAGetWhoseBackendDiedBeforeAnsweringOnAnotherBackend() throws Exception {
    node = TestNode.builder(vertx).backends(2).sticky("{mode: none}").health("{interval: 1h, timeout: 1s}").start();
    java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> inFlight = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      inFlight.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/slow?ms=1500")))
          .build(), HttpResponse.BodyHandlers.ofString()));
    }
    Thread.sleep(500);
    node.backend(0).stop().await(); // dies with two requests in flight
    for (var f : inFlight) {
      HttpResponse<String> r = f.get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("x-backend")).contains("web2");
    }
    assertThat(node.node().metrics().scrape()).containsPattern(
        "tandem_proxy_errors_total\\{node=\"test1\",reason=\"backend_reset_retried\"} [1-9]");
  }

  @Test
  void neverSendsAPostAgainAfterItsBackendDied() throws Exception {
    node = TestNode.builder(vertx).backends(0).health("{interval: 1h, timeout: 1s}")
        .extraBackend("dying", "http://127.0.0.1:" + resettingBackend()).start();
    HttpResponse<String> r = http.post(url("/upload"), "hello");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(node.node().metrics().scrape()).doesNotContain("backend_reset_retried\"} 1");
  }

  @Test
  void answers502WhenEveryBackendRefusesConnections() throws Exception {
    node = TestNode.builder(vertx).backends(0).health("{interval: 1h, timeout: 1s}")
        .extraBackend("dead1", "http://127.0.0.1:" + closedPort())
        .extraBackend("dead2", "http://127.0.0.1:" + closedPort()).start();
    HttpResponse<String> r = http.get(url("/health"));
    assertThat(r.statusCode()).isEqualTo(502);
  }

  @Test
  void answers504WhenTheBackendDoesNotAnswerInTime() throws Exception {
    node = TestNode.builder(vertx).backends(1).timeouts("{connect: 500ms, response: 300ms, client-idle: 30s}").start();
    HttpResponse<String> r = http.get(url("/slow?ms=3000"));
    assertThat(r.statusCode()).isEqualTo(504);
    // The next request on a fresh exchange is fine.
    assertThat(http.get(url("/slow?ms=10")).statusCode()).isEqualTo(200);
  }

  @Test
  void theResponseTimeoutCountsFromTheEndOfASlowUpload() throws Exception {
    node = TestNode.builder(vertx).backends(1).timeouts("{connect: 500ms, response: 400ms, client-idle: 30s}").start();
    // 8 chunks 150 ms apart: 1.2 s of upload, three times the response timeout, with progress
    // all along; the backend answers as soon as the body is complete.
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(url("/upload")).toURL()
        .openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(8 * 1024);
    try (java.io.OutputStream out = c.getOutputStream()) {
      for (int i = 0; i < 8; i++) {
        out.write(new byte[1024]);
        out.flush();
        Thread.sleep(150);
      }
    }
    assertThat(c.getResponseCode()).isEqualTo(200);
    assertThat(new String(c.getInputStream().readAllBytes())).contains("\"bytes\":8192");
  }

  @Test
  void anUploadThatStallsTimesOut() throws Exception {
    node = TestNode.builder(vertx).backends(1).timeouts("{connect: 500ms, response: 300ms, client-idle: 30s}").start();
    // Half a body, then nothing: no progress for the response timeout is a 504, not a hang.
    String req = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + "a".repeat(50);
    Http.RawResult r = Http.raw(node.port(), req, Duration.ofSeconds(10));
    assertThat(r.status()).isEqualTo(504);
    // The rest of the body would otherwise be read as the next request.
    assertThat(r.closedByServer()).isTrue();
  }

  @Test
  void answers431ForOversizedHeaders() throws Exception {
    node = TestNode.builder(vertx).backends(1).limits("{max-header-bytes: 2048}").start();
    String req = "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(4000) + "\r\n\r\n";
    assertThat(Http.raw(node.port(), req, Duration.ofSeconds(5)).status()).isEqualTo(431);
  }

  @Test
  void answers414ForALongUri() throws Exception {
    node = TestNode.builder(vertx).backends(1).limits("{max-uri-bytes: 512}").start();
    String req = "GET /health?" + "q".repeat(600) + " HTTP/1.1\r\nHost: x\r\n\r\n";
    assertThat(Http.raw(node.port(), req, Duration.ofSeconds(5)).status()).isEqualTo(414);
  }

  @Test
  void answers413ForADeclaredBodyOverTheLimit() throws Exception {
    node = TestNode.builder(vertx).backends(1).limits("{max-body-bytes: 1000}").start();
    String req = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n";
    Http.RawResult r = Http.raw(node.port(), req, Duration.ofSeconds(5));
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.closedByServer()).isTrue();
  }

  @Test
  void answers413ForAChunkedBodyThatOutgrowsTheLimit() throws Exception {
    node = TestNode.builder(vertx).backends(1).limits("{max-body-bytes: 1000}").start();
    String chunk = "x".repeat(800);
    String req = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(800) + "\r\n" + chunk + "\r\n" + Integer.toHexString(800) + "\r\n" + chunk + "\r\n0\r\n\r\n";
    Http.RawResult r = Http.raw(node.port(), req, Duration.ofSeconds(5));
    assertThat(r.status()).isEqualTo(413);
  }
}
