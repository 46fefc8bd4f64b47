package io.tandem.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Blocking HTTP helpers for tests (never used on an event loop): a JDK client and a raw socket. */
public final class Http {
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  public HttpResponse<String> get(String url, String... headers) throws Exception {
    return send("GET", url, null, headers);
  }

  public HttpResponse<String> post(String url, String body, String... headers) throws Exception {
    return send("POST", url, body, headers);
  }

  public HttpResponse<String> send(String method, String url, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The cookie pairs ({@code name=value}) a response sets, ready for a Cookie header. */
  public static String cookies(HttpResponse<?> response) {
    List<String> set = response.headers().allValues("set-cookie");
    StringBuilder sb = new StringBuilder();
    for (String s : set) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      int semi = s.indexOf(';');
      sb.append(semi < 0 ? s : s.substring(0, semi));
    }
    return sb.toString();
  }

  /**
   * Sends raw bytes on a fresh connection and reads until the server closes it or {@code timeout}
   * passes; returns everything read. For framing tests the JDK client would refuse to send.
   */
  public static RawResult raw(int port, String request, Duration timeout) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout((int) timeout.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      boolean closed = false;
      try {
        int n;
        while ((n = in.read(buf)) >= 0) {
          got.write(buf, 0, n);
        }
        closed = true;
      } catch (java.net.SocketTimeoutException e) {
        closed = false;
      } catch (java.net.SocketException e) {
        closed = true;
      }
      return new RawResult(got.toString(StandardCharsets.ISO_8859_1), closed);
    }
  }

  public record RawResult(String text, boolean closedByServer) {
    public int status() {
      if (!text.startsWith("HTTP/1.")) {
        return -1;
      }
      return Integer.parseInt(text.substring(9, 12));
    }
  }

  public static Map<String, String> authHeader() {
    return Map.of("Authorization", "Bearer " + TestNode.TOKEN);
  }
}
