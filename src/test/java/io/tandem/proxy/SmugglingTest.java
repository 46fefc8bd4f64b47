package io.tandem.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.testing.Http;
import io.tandem.testing.TestNode;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests whose framing two parsers could read differently are refused with 400 and a closed connection. */
class SmugglingTest {
  static Vertx vertx;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    node = TestNode.builder(vertx).backends(1).start();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    vertx.close().await();
  }

  Http.RawResult send(String request) throws Exception {
    return Http.raw(node.port(), request, Duration.ofSeconds(5));
  }

  void assertRefused(Http.RawResult r) {
    assertThat(r.status()).as(r.text()).isEqualTo(400);
    assertThat(r.closedByServer()).isTrue();
    assertThat(r.text()).doesNotContain("\"bytes\"");
  }

  @Test
  void refusesRequestWithContentLengthAndChunked() throws Exception {
    assertRefused(send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"));
  }

  @Test
  void refusesTwoDifferentContentLengths() throws Exception {
    assertRefused(send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 6\r\n\r\nabcdef"));
  }

  @Test
  void refusesATransferCodingOtherThanChunked() throws Exception {
    assertRefused(send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"));
  }

  @Test
  void refusesMalformedChunking() throws Exception {
    assertRefused(send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"));
  }

  @Test
  void refusesANonNumericContentLength() throws Exception {
    assertRefused(send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 4x\r\n\r\nabcd"));
  }

  @Test
  void acceptsAWellFormedChunkedBody() throws Exception {
    Http.RawResult r = send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.text()).contains("\"bytes\":5");
  }
}
