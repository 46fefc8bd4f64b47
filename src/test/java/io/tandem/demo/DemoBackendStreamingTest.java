package io.tandem.demo;

import static io.tandem.demo.DemoHttp.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoBackendStreamingTest {

  private static final long FIFTY_MB = 50L * 1024 * 1024;

  private Vertx vertx;
  private DemoHttp http;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    http = new DemoHttp(await(new DemoBackend(vertx, "s").start("127.0.0.1", 0)));
  }

  @AfterEach
  void tearDown() {
    await(vertx.close());
  }

  @Test
  void uploadCountsAStreamedChunkedBody() {
    HttpResponse<String> r = http.send(http.request("/upload")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(FIFTY_MB + 7)))
        .build());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject().put("backend", "s").put("bytes", FIFTY_MB + 7));
  }

  @Test
  void uploadCountsABodyWithContentLength() {
    HttpResponse<String> r = http.send(http.request("/upload")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[12345])).build());

    assertThat(new JsonObject(r.body()).getLong("bytes")).isEqualTo(12345);
  }

  @Test
  void uploadOfEmptyBodyCountsZero() {
    assertThat(new JsonObject(http.post("/upload").body()).getLong("bytes")).isZero();
  }

  @Test
  void downloadStreamsTheExactPatternWithContentLength() throws IOException {
    long size = FIFTY_MB + 13;
    HttpResponse<InputStream> r = http.send(http.request("/download?bytes=" + size).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(size);
    assertThat(r.headers().firstValue("X-Backend")).contains("s");
    long offset = 0;
    long mismatches = 0;
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = r.body()) {
      for (int n; (n = in.read(buf)) > 0; ) {
        for (int i = 0; i < n; i++) {
          if (buf[i] != DemoBackend.downloadByte(offset + i)) {
            mismatches++;
          }
        }
        offset += n;
      }
    }
    assertThat(offset).isEqualTo(size);
    assertThat(mismatches).isZero();
  }

  @Test
  void downloadOfZeroBytesIsEmpty() {
    HttpResponse<String> r = http.get("/download?bytes=0");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "?bytes=x", "?bytes=-5", "?bytes=8589934593"})
  void downloadRejectsBadSizeWith400(String query) {
    HttpResponse<String> r = http.get("/download" + query);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("error")).startsWith("bytes: ");
  }

  /** {@code size} bytes of the download pattern, generated as read. */
  private static final class PatternStream extends InputStream {
    private final long size;
    private long position;

    PatternStream(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      return position < size ? DemoBackend.downloadByte(position++) & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - position);
      for (int i = 0; i < n; i++) {
        b[off + i] = DemoBackend.downloadByte(position++);
      }
      return n;
    }
  }
}
