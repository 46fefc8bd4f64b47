package io.tandem.proxy;

import io.tandem.config.LimitsConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.List;

/**
 * Checks a request's framing headers before anything is forwarded. The decoder already refuses
 * oversized headers (431), long request lines (414), two different Content-Lengths and bad chunk
 * sizes; this catches what reaches the handler: transfer codings other than plain chunked,
 * Transfer-Encoding on HTTP/1.0, malformed lengths, and declared bodies over the limit (413).
 */
final class RequestGuard {
  private final long maxBodyBytes;

  RequestGuard(LimitsConfig limits) {
    this.maxBodyBytes = limits.maxBodyBytes();
  }

  /** A refusal (status and reason), or null when the request may be forwarded. */
  Refusal check(HttpServerRequest request) {
    MultiMap headers = request.headers();
    boolean http1 = request.version() != HttpVersion.HTTP_2;
    List<String> te = headers.getAll(HttpHeaders.TRANSFER_ENCODING);
    List<String> cl = headers.getAll(HttpHeaders.CONTENT_LENGTH);
    if (http1 && !te.isEmpty()) {
      if (request.version() == HttpVersion.HTTP_1_0) {
        return new Refusal(400, "transfer-encoding on HTTP/1.0");
      }
      if (te.size() != 1 || !te.get(0).trim().equalsIgnoreCase("chunked")) {
        return new Refusal(400, "unsupported transfer-encoding");
      }
      if (!cl.isEmpty()) {
        return new Refusal(400, "both transfer-encoding and content-length");
      }
    }
    if (!cl.isEmpty()) {
      long length = -1;
      for (String v : cl) {
        long parsed = parseLength(v);
        if (parsed < 0 || (length >= 0 && parsed != length)) {
          return new Refusal(400, "bad content-length");
        }
        length = parsed;
      }
      if (maxBodyBytes > 0 && length > maxBodyBytes) {
        return new Refusal(413, "body over limits.max-body-bytes");
      }
    }
    return null;
  }

  long maxBodyBytes() {
    return maxBodyBytes;
  }

  private static long parseLength(String v) {
    String s = v.trim();
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(s);
  }

  record Refusal(int status, String reason) {}
}
