package io.tandem.demo;

import static io.tandem.demo.DemoHttp.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoBackendEndpointsTest {

  private Vertx vertx;
  private DemoBackend backend;
  private DemoHttp http;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    backend = new DemoBackend(vertx, "b1");
    http = new DemoHttp(await(backend.start("127.0.0.1", 0)));
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  @Test
  void headersAreEchoedVerbatimWithBackendName() {
    HttpResponse<String> r = http.get("/headers", "X-Forwarded-For", "10.1.2.3, 10.0.0.1",
        "X-Forwarded-Proto", "https", "X-Multi", "one", "X-Multi", "two");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject json = new JsonObject(r.body());
    assertThat(json.getString("X-Forwarded-For")).isEqualTo("10.1.2.3, 10.0.0.1");
    assertThat(json.getString("X-Forwarded-Proto")).isEqualTo("https");
    assertThat(json.getValue("X-Multi")).isEqualTo(new JsonArray().add("one").add("two"));
    assertThat(json.getString("Host")).isEqualTo("127.0.0.1:" + backend.port());
    assertThat(json.getString("_backend")).isEqualTo("b1");
  }

  @Test
  void healthTogglesBetween200And503() {
    assertThat(http.get("/health").statusCode()).isEqualTo(200);
    assertThat(http.get("/health").body()).isEqualTo("ok");

    assertThat(http.post("/health/down").statusCode()).isEqualTo(200);
    HttpResponse<String> down = http.get("/health");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.headers().firstValue("X-Backend")).contains("b1");
    assertThat(backend.healthy()).isFalse();

    assertThat(http.post("/health/up").statusCode()).isEqualTo(200);
    assertThat(http.get("/health").statusCode()).isEqualTo(200);

    backend.setHealthy(false);
    assertThat(http.get("/health").statusCode()).isEqualTo(503);
  }

  @Test
  void slowAnswersAfterTheRequestedDelay() {
    long started = System.nanoTime();
    HttpResponse<String> r = http.get("/slow?ms=300");
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject().put("backend", "b1").put("slept", 300));
    assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
  }

  @Test
  void slowOfZeroAnswersAtOnce() {
    assertThat(new JsonObject(http.get("/slow?ms=0").body()).getLong("slept")).isZero();
  }

  @Test
  void slowRequestDoesNotHoldUpOthers() {
    CompletableFuture<HttpResponse<String>> slow = http.client()
        .sendAsync(http.request("/slow?ms=5000").build(), HttpResponse.BodyHandlers.ofString());

    long started = System.nanoTime();
    assertThat(http.get("/health").statusCode()).isEqualTo(200);
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(4000);
    assertThat(slow).isNotDone();
    slow.cancel(true);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "?ms=", "?ms=abc", "?ms=-1", "?ms=600001", "?ms=1.5", "?ms=99999999999999999999"})
  void slowRejectsBadDelayWith400(String query) {
    HttpResponse<String> r = http.get("/slow" + query);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("error")).isNotBlank();
    assertThat(r.headers().firstValue("X-Backend")).contains("b1");
  }

  @Test
  void malformedQueryStringIs400() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", backend.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(
          "GET /slow?ms=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(reply).startsWith("HTTP/1.1 400 ").contains("X-Backend: b1", "\"error\":");
    }
  }

  @Test
  void slowErrorNamesParameterValueAndRange() {
    assertThat(new JsonObject(http.get("/slow?ms=abc").body()).getString("error"))
        .isEqualTo("ms: abc (expected: an integer 0-600000)");
  }

  @Test
  void unknownPathIs404Json() {
    HttpResponse<String> r = http.get("/nowhere?x=1");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("no such path: /nowhere");
    assertThat(r.headers().firstValue("X-Backend")).contains("b1");
  }

  @Test
  void wrongMethodIs405WithAllow() {
    HttpResponse<String> getLogin = http.get("/login");
    HttpResponse<String> deleteCounter =
        http.send(http.request("/counter").DELETE().build());

    assertThat(getLogin.statusCode()).isEqualTo(405);
    assertThat(getLogin.headers().firstValue("Allow")).contains("POST");
    assertThat(new JsonObject(getLogin.body()).getString("error")).isEqualTo("method GET not allowed on /login");
    assertThat(deleteCounter.statusCode()).isEqualTo(405);
    assertThat(deleteCounter.headers().firstValue("X-Backend")).contains("b1");
  }

  @Test
  void webSocketEchoesTextAndBinaryMessages() {
    // Hold the client until the end: Vert.x closes an unreachable client's connections when it is collected.
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = await(client.connect(backend.port(), "127.0.0.1", "/ws"));
    Promise<String> text = Promise.promise();
    Promise<Buffer> binary = Promise.promise();
    ws.textMessageHandler(text::tryComplete);
    ws.binaryMessageHandler(binary::tryComplete);

    await(ws.writeTextMessage("héllo <tandem>"));
    await(ws.writeBinaryMessage(Buffer.buffer(new byte[] {0, 1, 2, (byte) 255})));

    assertThat(await(text.future())).isEqualTo("héllo <tandem>");
    assertThat(await(binary.future()).getBytes()).containsExactly(0, 1, 2, 255);
    await(ws.close());
    await(client.close());
  }

  @Test
  void webSocketPathWithoutUpgradeIs400() {
    HttpResponse<String> r = http.get("/ws");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("error")).contains("WebSocket");
  }

  @Test
  void webSocketUpgradeOnOtherPathIsRefused() {
    WebSocketClient client = vertx.createWebSocketClient();
    Future<WebSocket> ws = client.connect(backend.port(), "127.0.0.1", "/counter");

    assertThatThrownBy(() -> await(ws)).isInstanceOf(AssertionError.class);
    await(client.close());
  }

  @Test
  void startingTwiceFails() {
    assertThatThrownBy(() -> await(backend.start("127.0.0.1", 0)))
        .hasRootCauseInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("b1: already started");
    assertThat(http.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void concurrentStopsShareOneUndeployment() {
    Future<Void> first = backend.stop();
    Future<Void> second = backend.stop();

    await(first);
    await(second);
    assertThat(backend.port()).isEqualTo(-1);
    assertThat(await(backend.start("127.0.0.1", 0))).isPositive();
  }

  @Test
  void stopWhenNotStartedSucceeds() {
    await(backend.stop());
    await(backend.stop());
    assertThat(backend.port()).isEqualTo(-1);
  }

  @Test
  void refusesBadNameAndPort() {
    assertThatThrownBy(() -> new DemoBackend(vertx, " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("name:   (expected: non-blank printable ASCII)");
    assertThatThrownBy(() -> new DemoBackend(vertx, "a\r\nX-Evil: 1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> await(new DemoBackend(vertx, "c").start("127.0.0.1", 70000)))
        .hasRootCauseMessage("port: 70000 (expected: 0-65535)");
  }

  @Test
  void postWithBodyToLoginIsAccepted() {
    HttpResponse<String> r = http.send(http.request("/login")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("user=x")).build());

    assertThat(r.statusCode()).isEqualTo(200);
  }
}
