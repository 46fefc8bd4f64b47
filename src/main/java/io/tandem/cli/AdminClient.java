package io.tandem.cli;

import io.tandem.config.Durations;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One node's admin API, called synchronously with a bounded connect and answer time. Each answer
 * is a JSON object or a {@link CtlException}: 401 and no answer are "unreachable or unauthorized"
 * (exit 3); any other non-2xx carries the server's {@code {"error": ..}} as the reason (exit 1).
 */
final class AdminClient {
  private final String base;
  private final String token;
  private final String tokenSource;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param base the admin URL without a trailing slash
   * @param token the bearer token, or null to send none
   * @param tokenSource where the token came from, for the 401 message
   */
  AdminClient(String base, String token, String tokenSource, Duration timeout) {
    this.base = base;
    this.token = token;
    this.tokenSource = tokenSource;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  String base() {
    return base;
  }

  JsonObject get(String path) {
    return send(request(path).GET().build());
  }

  JsonObject post(String path) {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  /** A POST whose answer may take {@code answer} (a handoff the node waits for), not the usual timeout. */
  JsonObject post(String path, Duration answer) {
    return send(request(path).timeout(answer).POST(HttpRequest.BodyPublishers.noBody()).build(), answer);
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
        .header("Accept", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private JsonObject send(HttpRequest request) {
    return send(request, timeout);
  }

  private JsonObject send(HttpRequest request, Duration answerTimeout) {
    HttpResponse<String> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw unreachable("no connection within " + Durations.format(timeout));
    } catch (HttpTimeoutException e) {
      throw unreachable("no answer within " + Durations.format(answerTimeout));
    } catch (IOException e) {
      throw unreachable(reason(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CtlException.refused("interrupted while waiting for " + base);
    }
    int status = r.statusCode();
    JsonObject body = parse(r.body());
    if (status == 401) {
      String why = body != null && body.getValue("error") instanceof String s ? s : "HTTP 401";
      throw CtlException.unreachable(base + " refused the token (" + why + "); "
          + (token == null ? "no token was given (--token-file, TANDEM_TOKEN_FILE or TANDEM_TOKEN)"
              : "token from " + tokenSource));
    }
    if (status / 100 == 2 && body != null) {
      return body;
    }
    if (body != null && body.getValue("error") instanceof String error) {
      throw CtlException.refused(error + " (" + base + ", HTTP " + status + ")");
    }
    throw CtlException.refused("unexpected answer from " + base + ": HTTP " + status
        + r.headers().firstValue("content-type").map(t -> ", " + t).orElse("") + " (not a Tandem admin API?)");
  }

  private CtlException unreachable(String why) {
    return CtlException.unreachable("cannot reach the admin API at " + base + ": " + why);
  }

  private static JsonObject parse(String body) {
    try {
      return body == null || body.isBlank() ? null : new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  /** The JDK often wraps the useful message (refused, unknown host) in causes without one. */
  static String reason(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.nio.channels.UnresolvedAddressException) {
        return "unknown host";
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        String m = t.getMessage();
        return m.toLowerCase(java.util.Locale.ROOT).contains("refused") ? "connection refused" : m;
      }
    }
    return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
  }
}
