package io.tandem.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.demo.DemoBackend;
import io.tandem.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WebSocketAndStreamingTest {
  static final long BIG = 1L << 30;
  static Vertx vertx;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    // No test here needs a quick DOWN; the default 80 ms check flaps on a busy machine (503s).
    node = TestNode.builder(vertx).backends(1).limits("{max-body-bytes: " + (2 * BIG) + "}")
        .health("{interval: 1s, timeout: 1s, rise: 1, fall: 3}").start();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    vertx.close().await();
  }

  @Test
  void passesAWebSocketUpgradeThrough() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
          .setURI("/ws")).await(10, TimeUnit.SECONDS);
      CompletableFuture<String> echoed = new CompletableFuture<>();
      ws.textMessageHandler(echoed::complete);
      ws.writeTextMessage("hello through tandem");
      assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("hello through tandem");
      ws.close();
    } finally {
      client.close();
    }
  }

  /**
   * The backend negotiates permessage-deflate with the client and Tandem only tunnels the bytes: its
   * own server has WebSocket compression off (ServerOptionsFactory), which must not get in the way.
   */
  @Test
  void passesACompressedWebSocketThroughUntouched() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setTryUsePerMessageCompression(true));
    try {
      WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
          .setURI("/ws")).await(10, TimeUnit.SECONDS);
      assertThat(ws.headers().getAll("Sec-WebSocket-Extensions")).hasSize(1)
          .allSatisfy(v -> assertThat(v).startsWith("permessage-deflate"));
      CompletableFuture<String> echoed = new CompletableFuture<>();
      ws.textMessageHandler(echoed::complete);
      String text = "compressible ".repeat(200);
      ws.writeTextMessage(text);
      assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo(text);
      ws.close();
    } finally {
      client.close();
    }
  }

  /** Samples the heap while a transfer runs; the largest growth over the start is returned. */
  static final class HeapWatch implements AutoCloseable {
    final MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    final AtomicLong peak = new AtomicLong();
    final AtomicBoolean running = new AtomicBoolean(true);
    final long base;
    final Thread thread;

    HeapWatch() {
      System.gc();
      base = mem.getHeapMemoryUsage().getUsed();
      thread = new Thread(() -> {
        while (running.get()) {
          peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed() - base, Math::max);
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join();
    }
  }

  @Test
  void streamsA1GibUploadWithBoundedMemory() throws Exception {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + node.port() + "/upload").toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setFixedLengthStreamingMode(BIG);
    byte[] chunk = new byte[64 * 1024];
    try (HeapWatch watch = new HeapWatch()) {
      try (OutputStream out = c.getOutputStream()) {
        for (long sent = 0; sent < BIG; sent += chunk.length) {
          out.write(chunk);
        }
      }
      assertThat(c.getResponseCode()).isEqualTo(200);
      String body = new String(c.getInputStream().readAllBytes());
      assertThat(body).contains("\"bytes\":" + BIG);
      watch.close();
      // Held whole, the body alone would be 1 GiB (the test JVM's whole heap); used heap also counts garbage not yet
      // collected, so the bound is half the body, not a tight figure.
      assertThat(watch.peak.get()).isLessThan(512L << 20);
    }
  }

  @Test
  void streamsA1GibDownloadWithBoundedMemory() throws Exception {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + node.port() + "/download?bytes=" + BIG)
        .toURL().openConnection();
    long got = 0;
    boolean intact = true;
    try (HeapWatch watch = new HeapWatch(); InputStream in = c.getInputStream()) {
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (got < 1_000_000) {
          for (int i = 0; i < n; i++) {
            intact &= buf[i] == DemoBackend.downloadByte(got + i);
          }
        }
        got += n;
      }
      watch.close();
      assertThat(watch.peak.get()).isLessThan(512L << 20);
    }
    assertThat(got).isEqualTo(BIG);
    assertThat(intact).isTrue();
  }
}
