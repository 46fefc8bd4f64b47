package io.tandem.proxy;

import io.tandem.backend.Backend;
import io.tandem.backend.BackendPool;
import io.tandem.backend.Outcome;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One client request on its way through: choose a backend, connect (retrying another backend on a
 * connect failure: nothing was sent, so any method is safe), stream the request body with
 * back-pressure, wait for the response headers under the response timeout, stream the response
 * back. Every ending maps to one status and one observer call: 502 when backends failed, 503 when
 * none is usable, 504 on timeout, 413 when the body outgrows its limit. Runs on one event loop.
 */
final class Exchange {
  // Names set on every request: AsciiString keeps its hash, which the header map needs for each set.
  private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
  private static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");
  private static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("X-Forwarded-Host");
  private static final CharSequence X_FORWARDED_PORT = HttpHeaders.createOptimized("X-Forwarded-Port");
  private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("X-Request-Id");
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
  private final ProxyHandler h;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final long startNanos;
  private final List<String> tried = new ArrayList<>(2);
  private String key;
  /** The client's X-Forwarded-For chain (null without one), read with the key. */
  private String forwardedFor;
  private boolean insertCookie;
  private boolean keyRead;
  private Backend backend;
  /** The attempt follows the user's existing binding (see {@link BackendChooser.Choice#bound}). */
  private boolean bound;
  /** The bound backend already had its second try in this request. */
  private boolean retriedBound;
  private BackendPool.Lease lease;
  /** This attempt's backend connection (null when it came from the shared pool). */
  private BackendConnections.Lease connection;
  private HttpClientRequest outbound;
  private ResponseDeadlines.Entry timer;
  /** When the last body chunk went to the backend (0: none yet). */
  private long bodyProgressNanos;
  private long bodyBytes;
  private long bodyBytesOut;
  private boolean done;

  Exchange(ProxyHandler handler, HttpServerRequest request, long startNanos) {
    this.h = handler;
    this.request = request;
    this.response = request.response();
    this.startNanos = startNanos;
  }

  void begin() {
    response.closeHandler(v -> clientGone());
    request.exceptionHandler(this::clientFailed);
    attempt();
  }

  private void attempt() {
    if (!keyRead) {
      keyRead = true;
      MultiMap headers = request.headers();
      SocketAddress peer = request.remoteAddress();
      key = h.chooser.keyOf(headers.getAll(HttpHeaders.COOKIE),
          peer == null ? null : Addresses.of(peer), forwardedFor = forwardedFor(headers)).orElse(null);
    }
    BackendChooser.Choice choice = h.chooser.choose(key, tried);
    if (choice == null) {
      if (tried.isEmpty()) {
        fail(503, "no usable backend", "no_backend");
      } else {
        fail(502, "backend connect failed", "connect");
      }
      return;
    }
    if (choice.key() != null) {
      key = choice.key();
    }
    insertCookie |= choice.insertCookie();
    backend = choice.backend();
    bound = choice.bound();
    lease = h.pool.begin(backend);
    SocketAddress address = h.addresses.get(backend.id());
    RequestOptions options = new RequestOptions()
        .setServer(address)
        .setMethod(request.method())
        .setURI(request.uri());
    if (backend.config().tls()) {
      // Only when needed: an explicit ssl flag makes Vert.x copy the client's SSL options per request.
      options.setSsl(true);
    }
    connection = h.connections.acquire(backend.id(), backend.config().tls(), address);
    (connection == null ? h.connections.shared(options) : connection.request(options)).onComplete(this::connected);
  }

  private void connected(AsyncResult<HttpClientRequest> ar) {
    if (ar.failed()) {
      release(Outcome.CONNECT_FAILURE);
      if (done) {
        return;
      }
      if (secondTryOnBound(ar.cause())) {
        attempt();
        return;
      }
      tried.add(backend.id());
      if (tried.size() <= h.connectRetries) {
        attempt();
      } else {
        fail(502, "backend connect failed", "connect");
      }
      return;
    }
    outbound = ar.result();
    if (done) {
      outbound.reset();
      release(Outcome.CANCELLED);
      return;
    }
    prepareHeaders();
    if (Headers.isUpgrade(request.headers()) && request.version() == HttpVersion.HTTP_1_1) {
      if (connection != null) {
        // Whatever the answer, the connection is not one to hand to the next request: a 101 makes it
        // the tunnel's, anything else ends it.
        connection.detach();
        connection = null;
      }
      startTimer();
      outbound.connect().onComplete(this::upgradeAnswered);
      return;
    }
    outbound.response().onComplete(this::answered);
    startTimer();
    sendBody();
  }

  private void prepareHeaders() {
    MultiMap in = request.headers();
    MultiMap out = outbound.headers();
    Headers.copyEndToEnd(in, out);
    out.remove(HttpHeaders.EXPECT);
    HostAndPort authority = request.authority();
    if (authority != null) {
      outbound.authority(authority);
    }
    SocketAddress peer = request.remoteAddress();
    String client = peer == null ? "unknown" : peer.hostAddress();
    String xff = forwardedFor;
    out.set(X_FORWARDED_FOR, xff == null ? client : xff + ", " + client);
    out.set(X_FORWARDED_PROTO, h.scheme);
    if (authority != null) {
      out.set(X_FORWARDED_HOST, authority.toString());
    }
    out.set(X_FORWARDED_PORT, h.port != null ? h.port : localPort());
    if (!in.contains(X_REQUEST_ID)) {
      out.set(X_REQUEST_ID, requestId());
    }
    if (Headers.isUpgrade(in)) {
      out.set(HttpHeaders.CONNECTION, HttpHeaders.UPGRADE);
      out.set(HttpHeaders.UPGRADE, in.get(HttpHeaders.UPGRADE));
    }
  }

  private void sendBody() {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (request.isEnded() && bodyBytes == 0) {
      // Read to its end already (a retry, after a backend died: only bodiless requests are retried).
      if (length != null) {
        outbound.putHeader(HttpHeaders.CONTENT_LENGTH, length);
      }
      outbound.end();
      return;
    }
    if (length != null) {
      outbound.putHeader(HttpHeaders.CONTENT_LENGTH, length);
    } else if (request.isEnded() || !mayHaveBody()) {
      outbound.end();
      return;
    } else if (request.version() != HttpVersion.HTTP_2) {
      outbound.setChunked(true);
    }
    // An HTTP/2 request without Content-Length says it has a body only by sending DATA: chunked
    // is chosen at the first chunk, so a GET does not reach the backend with an empty chunked body.
    request.handler(this::bodyChunk);
    request.endHandler(v -> {
      if (!done) {
        bodyProgressNanos = System.nanoTime();
        if (timer != null) {
          // Still waiting for the answer: the timeout counts from here.
          cancelTimer();
          startTimer();
        }
        outbound.end();
      }
    });
    request.resume();
  }

  /** Safe to send again: an idempotent read with no body streamed to the backend. */
  private boolean retryable() {
    HttpMethod m = request.method();
    boolean safe = m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS;
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return safe && bodyBytes == 0 && (length == null || length.equals("0"))
        && !request.headers().contains(HttpHeaders.TRANSFER_ENCODING) && !Headers.isUpgrade(request.headers());
  }

  private boolean mayHaveBody() {
    return request.version() == HttpVersion.HTTP_2
        || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }

  private void bodyChunk(Buffer chunk) {
    if (done) {
      return;
    }
    bodyBytes += chunk.length();
    long max = h.guard.maxBodyBytes();
    if (max > 0 && bodyBytes > max) {
      release(Outcome.CANCELLED);
      // The rest of the body is still on the wire: the connection cannot carry another request.
      fail(413, "body over limits.max-body-bytes", "body_too_large").onComplete(v -> closeHttp1());
      outbound.reset();
      return;
    }
    if (!outbound.isChunked() && outbound.headers().get(HttpHeaders.CONTENT_LENGTH) == null) {
      outbound.setChunked(true);
    }
    outbound.write(chunk);
    bodyProgressNanos = System.nanoTime();
    if (outbound.writeQueueFull()) {
      request.pause();
      outbound.drainHandler(v -> request.resume());
    }
  }

  /**
   * The response timeout runs from the request's last body byte, as nginx's and HAProxy's do: a
   * large upload from a slow client is not the backend's delay (the body's end starts it again).
   * While the body streams, a timeout with no progress at all is a timeout too (a backend that
   * stopped reading); progress is checked when the timeout falls due, so a stall is caught
   * between one and two timeouts after the last chunk.
   */
  private void startTimer() {
    timer = h.deadlines.start(() -> {
      timer = null;
      if (!done && !response.headWritten() && !request.isEnded() && bodyProgressNanos != 0
          && System.nanoTime() - bodyProgressNanos < h.responseTimeoutMs * 1_000_000) {
        startTimer();
        return;
      }
      if (!done && !response.headWritten()) {
        release(Outcome.FAILURE);
        boolean bodyUnread = !request.isEnded();
        // With the rest of the body still to come, the connection cannot carry another request.
        fail(504, "backend response timeout", "timeout").onComplete(v -> {
          if (bodyUnread) {
            closeHttp1();
          }
        });
        outbound.reset();
      }
    });
  }

  /**
   * Whether this failure on the user's own backend earns it one more try before the user is moved
   * (and loses its server-side session): a connect that timed out (a busy backend, or this node's
   * own loop running late) or a connection that broke may well work the next time, as HAProxy's
   * retries on a persistent server assume. A refused or unreachable connect proves the backend
   * gone, so the user moves at once; so does a second failure.
   */
  private boolean secondTryOnBound(Throwable cause) {
    if (!bound || retriedBound || Failures.backendGone(cause)) {
      return false;
    }
    retriedBound = true;
    return true;
  }

  private void cancelTimer() {
    if (timer != null) {
      h.deadlines.cancel(timer);
      timer = null;
    }
  }

  private void answered(AsyncResult<HttpClientResponse> ar) {
    cancelTimer();
    if (done) {
      if (ar.succeeded()) {
        ar.result().request().reset();
      }
      return;
    }
    if (ar.failed()) {
      release(Outcome.FAILURE);
      if (retryable() && secondTryOnBound(ar.cause())) {
        // A kept-alive connection the backend had just closed fails like this too: the user's own
        // backend gets one more try on another connection before the user is moved.
        h.observer.proxyError("backend_reset_retried");
        attempt();
        return;
      }
      tried.add(backend.id());
      if (retryable() && tried.size() <= h.connectRetries) {
        // The backend died before answering a request that is safe to send again and whose body,
        // if any, was empty: try another backend, as nginx's proxy_next_upstream does. A user
        // bound to the dead backend is re-bound once.
        h.observer.proxyError("backend_reset_retried");
        attempt();
        return;
      }
      fail(502, "backend failed: " + ar.cause().getMessage(), "backend_reset");
      return;
    }
    HttpClientResponse in = ar.result();
    long length = writeHead(in);
    in.handler(chunk -> {
      if (done) {
        return;
      }
      bodyBytesOut += chunk.length();
      if (bodyBytesOut == length) {
        // The chunk that completes a declared length: head, body and end leave in one write
        // (a write and then an end would take the response's write path twice).
        finish(in, chunk);
        return;
      }
      response.write(chunk);
      if (response.writeQueueFull()) {
        in.pause();
        response.drainHandler(v -> in.resume());
      }
    });
    in.exceptionHandler(e -> {
      if (!done) {
        done = true;
        release(Outcome.FAILURE);
        h.observer.proxyError("backend_reset");
        response.reset();
      }
    });
    in.endHandler(v -> {
      if (!done) {
        finish(in, null);
      }
    });
  }

  private void finish(HttpClientResponse in, Buffer last) {
    done = true;
    if (last == null) {
      response.end();
    } else {
      response.end(last);
    }
    release(in.statusCode() >= 500 ? Outcome.SERVER_ERROR : Outcome.SUCCESS);
    if (connection != null && keepsConnection(in)) {
      connection.release();
    }
    h.observer.requestDone(backend.id(), in.statusCode(), System.nanoTime() - startNanos);
  }

  /** False when the backend closes the connection after this response (Vert.x then closes it too). */
  private static boolean keepsConnection(HttpClientResponse in) {
    String c = in.getHeader(HttpHeaders.CONNECTION);
    if (c == null) {
      return in.version() != HttpVersion.HTTP_1_0;
    }
    // The usual answer, every time: no lower-cased copy for it.
    if (c.equalsIgnoreCase("keep-alive")) {
      return true;
    }
    return in.version() != HttpVersion.HTTP_1_0 && !c.toLowerCase(java.util.Locale.ROOT).contains("close");
  }

  /** Writes the response head; returns the body's declared length, or -1 when it has none or it is not a number. */
  private long writeHead(HttpClientResponse in) {
    response.setStatusCode(in.statusCode());
    String message = in.statusMessage();
    // The standard phrase goes out anyway; setting it would build a new status object per response.
    if (message != null && !message.equals(HttpResponseStatus.valueOf(in.statusCode()).reasonPhrase())) {
      response.setStatusMessage(message);
    }
    MultiMap headers = response.headers();
    Headers.copyEndToEnd(in.headers(), headers);
    h.chooser.learnFrom(in.headers().getAll(HttpHeaders.SET_COOKIE), backend);
    if (insertCookie && key != null) {
      headers.add(HttpHeaders.SET_COOKIE, h.chooser.policy().insertCookie(key, h.scheme.equals("https")));
    }
    if (h.drain.draining() && request.version() != HttpVersion.HTTP_2) {
      headers.set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      // Copied with the end-to-end headers already (the client's decoder refuses two lengths).
      return bodyAllowed(in.statusCode()) ? parseLength(length) : -1;
    }
    if (request.version() == HttpVersion.HTTP_1_1 && bodyAllowed(in.statusCode())) {
      response.setChunked(true);
    }
    return -1;
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private boolean bodyAllowed(int status) {
    return request.method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }

  private void upgradeAnswered(AsyncResult<HttpClientResponse> ar) {
    cancelTimer();
    if (done) {
      return;
    }
    if (ar.failed()) {
      release(Outcome.FAILURE);
      fail(502, "backend failed during upgrade", "backend_reset");
      return;
    }
    HttpClientResponse in = ar.result();
    if (in.statusCode() != 101) {
      in.pause();
      answered(ar);
      in.resume();
      return;
    }
    done = true;
    response.setStatusCode(101);
    response.headers().addAll(in.headers());
    NetSocket backendSocket = in.netSocket();
    request.toNetSocket().onComplete(front -> {
      if (front.failed()) {
        backendSocket.close();
        release(Outcome.CANCELLED);
        return;
      }
      release(Outcome.SUCCESS);
      h.observer.requestDone(backend.id(), 101, System.nanoTime() - startNanos);
      Tunnel.join(front.result(), backendSocket);
    });
  }

  private void release(Outcome outcome) {
    if (lease != null) {
      lease.release(outcome);
      lease = null;
    }
  }

  private void clientGone() {
    if (!done) {
      done = true;
      cancelTimer();
      if (outbound != null) {
        outbound.reset();
      }
      release(Outcome.CANCELLED);
      h.observer.proxyError("client_closed");
    }
  }

  private void clientFailed(Throwable cause) {
    if (done) {
      return;
    }
    if (cause instanceof io.vertx.core.http.StreamResetException) {
      // An HTTP/2 client cancelled this one stream: the others on its connection go on.
      clientGone();
      return;
    }
    // A broken request body (bad chunking, a reset) after forwarding began: stop the backend side
    // and refuse, so nothing half-framed reaches the application as if it were whole.
    release(Outcome.CANCELLED);
    fail(400, "malformed request body", "bad_request").onComplete(v -> closeHttp1());
    if (outbound != null) {
      outbound.reset();
    }
  }

  /**
   * After a broken or oversized body an HTTP/1 connection cannot carry another request; an HTTP/2
   * stream has been dealt with on its own, and closing would end every other stream too.
   */
  private void closeHttp1() {
    if (request.version() != HttpVersion.HTTP_2) {
      request.connection().close();
    }
  }

  /** Ends the exchange with an error answer (or a reset when the head already went out). */
  private Future<Void> fail(int status, String reason, String label) {
    done = true;
    cancelTimer();
    h.observer.proxyError(label);
    h.observer.requestDone(backend == null ? null : backend.id(), status, System.nanoTime() - startNanos);
    if (response.headWritten() || response.ended() || response.closed()) {
      return response.reset().mapEmpty();
    }
    return send(response, status, reason);
  }

  static Future<Void> send(HttpServerResponse response, int status, String reason) {
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .putHeader("X-Tandem-Error", reason.length() > 100 ? reason.substring(0, 100) : reason);
    if (status == 503) {
      response.putHeader(HttpHeaders.RETRY_AFTER, "1");
    }
    return response.end(status + " " + reason + "\n");
  }

  /** Refuses a request before anything was forwarded, and closes its connection (its framing is not to be trusted). */
  static void refuse(HttpServerRequest request, int status, String reason, ProxyObserver observer) {
    observer.proxyError(status == 400 ? "bad_request" : "refused_" + status);
    observer.requestDone(null, status, 0);
    HttpServerResponse response = request.response();
    if (request.version() != HttpVersion.HTTP_2) {
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    Future<Void> sent = send(response, status, reason);
    if (request.version() != HttpVersion.HTTP_2) {
      sent.onComplete(v -> request.connection().close());
    }
  }

  /** Only for a listener configured with port 0 (tests): the port it was given. */
  private String localPort() {
    SocketAddress local = request.localAddress();
    return local == null ? "0" : Integer.toString(local.port());
  }

  /** Every X-Forwarded-For header as one list (a proxy chain may send several). */
  private static String forwardedFor(MultiMap headers) {
    List<String> all = headers.getAll(X_FORWARDED_FOR);
    return all.isEmpty() ? null : all.size() == 1 ? all.get(0) : String.join(", ", all);
  }

  /** 32 lower-case hex digits, written straight into one array (this runs for every request). */
  private static String requestId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    byte[] out = new byte[32];
    for (int half = 0; half < 2; half++) {
      long v = r.nextLong();
      for (int i = 15; i >= 0; i--) {
        out[half * 16 + i] = HEX[(int) (v & 0xf)];
        v >>>= 4;
      }
    }
    return new String(out, StandardCharsets.ISO_8859_1);
  }
}
