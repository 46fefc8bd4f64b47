package io.tandem.demo;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * The endpoints that exercise time and volume: {@code /slow} waits on a timer, {@code /upload}
 * counts a body as it streams in, {@code /download} streams a patterned body with back-pressure,
 * and {@code /ws} echoes WebSocket messages, pausing while the echo cannot be written. None of them
 * holds a whole body in memory.
 */
final class StreamEndpoints {

  static final long MAX_SLOW_MS = 600_000;
  static final long MAX_DOWNLOAD_BYTES = 8L << 30;

  /** 64 bytes; the chunk size is a multiple of it so every chunk starts at pattern offset 0. */
  private static final byte[] PATTERN =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-\n"
          .getBytes(StandardCharsets.US_ASCII);
  private static final int CHUNK = 64 * 1024;

  private final String name;
  private final Vertx vertx;
  private final Buffer chunk;

  StreamEndpoints(String name, Vertx vertx) {
    this.name = name;
    this.vertx = vertx;
    this.chunk = Buffer.buffer(CHUNK);
    for (int i = 0; i < CHUNK; i++) {
      chunk.appendByte(PATTERN[i % PATTERN.length]);
    }
  }

  static byte patternByte(long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
    }
    return PATTERN[(int) (offset % PATTERN.length)];
  }

  /** {@code GET /slow?ms=N}: answers after N ms; the timer is cancelled if the client goes away. */
  void slow(HttpServerRequest req) {
    long ms = Replies.boundedLong(req, "ms", MAX_SLOW_MS);
    JsonObject body = new JsonObject().put("backend", name).put("slept", ms);
    if (ms == 0) {
      Replies.json(req, 200, body);
      return;
    }
    long timer = vertx.setTimer(ms, id -> Replies.json(req, 200, body));
    req.response().closeHandler(v -> vertx.cancelTimer(timer));
  }

  /** {@code POST /upload}: counts the body's bytes as they arrive. */
  void upload(HttpServerRequest req) {
    long[] bytes = {0};
    req.handler(buf -> bytes[0] += buf.length());
    req.endHandler(v -> Replies.json(req, 200, new JsonObject().put("backend", name).put("bytes", bytes[0])));
    // A client that aborts mid-body leaves nobody to answer; the connection is already gone.
    req.exceptionHandler(e -> {});
  }

  /** {@code GET /download?bytes=N}: N bytes of the pattern, with Content-Length N. */
  void download(HttpServerRequest req) {
    long bytes = Replies.boundedLong(req, "bytes", MAX_DOWNLOAD_BYTES);
    HttpServerResponse resp = req.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream")
        .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(bytes));
    new Download(resp, bytes).start();
  }

  /** {@code GET /ws}: echoes text and binary messages. */
  void webSocket(HttpServerRequest req) {
    if (!req.canUpgradeToWebSocket()) {
      throw new BadRequest("/ws: not a WebSocket upgrade (expected: GET with Upgrade: websocket)");
    }
    // A failed handshake has already been answered by Vert.x; nothing is left to do.
    req.toWebSocket().onSuccess(StreamEndpoints::echo);
  }

  private static void echo(ServerWebSocket ws) {
    ws.textMessageHandler(text -> {
      ws.writeTextMessage(text);
      throttle(ws);
    });
    ws.binaryMessageHandler(data -> {
      ws.writeBinaryMessage(data);
      throttle(ws);
    });
    ws.drainHandler(v -> ws.resume());
    ws.exceptionHandler(e -> ws.close());
  }

  private static void throttle(ServerWebSocket ws) {
    if (ws.writeQueueFull()) {
      ws.pause();
    }
  }

  /** Writes while the response's queue has room and resumes on drain. */
  private final class Download {
    private final HttpServerResponse resp;
    private long remaining;

    Download(HttpServerResponse resp, long remaining) {
      this.resp = resp;
      this.remaining = remaining;
    }

    void start() {
      resp.drainHandler(v -> pump());
      pump();
    }

    private void pump() {
      while (remaining > 0 && !resp.writeQueueFull()) {
        if (resp.closed()) {
          return;
        }
        int n = (int) Math.min(CHUNK, remaining);
        // Whole chunks share one read-only buffer: Vert.x writes a view with its own indices.
        resp.write(n == CHUNK ? chunk : chunk.slice(0, n));
        remaining -= n;
      }
      if (remaining == 0 && !resp.ended() && !resp.closed()) {
        resp.end();
      }
    }
  }
}
