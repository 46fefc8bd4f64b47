package io.tandem.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
  @TempDir
  Path dir;
  Vertx vertx;
  TestNode node;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    for (String n : List.of("a", "b", "a2")) {
      for (String ext : List.of(".crt", ".key")) {
        Files.copy(Path.of("src/test/resources/tls/" + n + ext), dir.resolve(n + ext));
      }
    }
    Files.copy(dir.resolve("a.crt"), dir.resolve("site.crt"));
    Files.copy(dir.resolve("a.key"), dir.resolve("site.key"));
    node = TestNode.builder(vertx).backends(1)
        .tlsListener("{certificates: [{cert: " + dir.resolve("site.crt") + ", key: " + dir.resolve("site.key")
            + "}, {cert: " + dir.resolve("b.crt") + ", key: " + dir.resolve("b.key") + "}]}")
        .start();
  }

  @AfterEach
  void tearDown() throws Exception {
    node.close();
    vertx.close().await();
  }

  static SSLContext trustAll() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, new SecureRandom());
    return ctx;
  }

  /** The subject of the certificate the server presents for {@code sni} (null: no SNI). */
  String subjectFor(String sni) throws Exception {
    try (SSLSocket s = (SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", node.port(1))) {
      SSLParameters p = s.getSSLParameters();
      if (sni != null) {
        p.setServerNames(List.of(new SNIHostName(sni)));
      }
      s.setSSLParameters(p);
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
  }

  @Test
  void choosesTheCertificateBySni() throws Exception {
    assertThat(subjectFor("a.test")).contains("O=tandem-test-a,").doesNotContain("a2");
    assertThat(subjectFor("b.test")).contains("O=tandem-test-b");
  }

  @Test
  void exportsTheSecondsUntilEachCertificateExpires() {
    String scrape = node.node().metrics().scrape();
    assertThat(scrape).containsPattern("tandem_certificate_expiry_seconds\\{cert=\"site.crt\",listener=\"127.0.0.1:0\",node=\"test1\"} [0-9.E]+")
        .contains("cert=\"b.crt\"");
  }

  @Test
  void countsHandshakesAndFailedHandshakes() throws Exception {
    subjectFor("a.test");
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.port(1))) {
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
      s.getOutputStream().flush();
      s.setSoTimeout(2000);
      s.getInputStream().read(new byte[100]);
    } catch (java.io.IOException expected) {
      // Plain text on a TLS port: the server drops it.
    }
    // Both series exist from the start at zero, so the counts themselves must have moved.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(node.node().metrics().scrape())
            .containsPattern("tandem_tls_handshakes_total\\{listener=\"127.0.0.1:0\",node=\"test1\",result=\"ok\"} [1-9]")
            .containsPattern("tandem_tls_handshakes_total\\{listener=\"127.0.0.1:0\",node=\"test1\",result=\"error\"} [1-9]"));
  }

  @Test
  void reloadsCertificatesWithoutARestart() throws Exception {
    Files.copy(dir.resolve("a2.crt"), dir.resolve("site.crt"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(dir.resolve("a2.key"), dir.resolve("site.key"), StandardCopyOption.REPLACE_EXISTING);
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.adminPort() + "/api/reload-tls"))
        .header("Authorization", "Bearer " + TestNode.TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(subjectFor("a.test")).contains("O=tandem-test-a2");
  }

  @Test
  void aFailedReloadKeepsTheOldCertificates() throws Exception {
    Files.writeString(dir.resolve("site.key"), "not a key");
    var reload = node.node().proxy().reloadTls();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> reload.await(10, TimeUnit.SECONDS));
    assertThat(subjectFor("a.test")).contains("O=tandem-test-a,");
  }

  @Test
  void servesHttp2NegotiatedByAlpnAndSetsForwardedProto() throws Exception {
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setSsl(true).setUseAlpn(true).setTrustAll(true).setVerifyHost(false));
    try {
      Object[] got = client.request(new RequestOptions().setHost("127.0.0.1").setPort(node.port(1))
              .setURI("/headers").setMethod(HttpMethod.GET))
          .compose(req -> req.send().compose(resp -> resp.body().map(b -> new Object[] {resp.version(), b})))
          .await(10, TimeUnit.SECONDS);
      assertThat(got[0]).isEqualTo(HttpVersion.HTTP_2);
      JsonObject headers = new JsonObject(got[1].toString());
      assertThat(headers.getString("X-Forwarded-Proto")).isEqualTo("https");
      assertThat(headers.fieldNames()).doesNotContain("transfer-encoding");

      Object[] upload = client.request(new RequestOptions().setHost("127.0.0.1").setPort(node.port(1))
              .setURI("/upload").setMethod(HttpMethod.POST))
          .compose(req -> req.send(Buffer.buffer("y".repeat(100_000)))
              .compose(resp -> resp.body().map(b -> new Object[] {resp.version(), b})))
          .await(10, TimeUnit.SECONDS);
      assertThat(upload[0]).isEqualTo(HttpVersion.HTTP_2);
      assertThat(new JsonObject(upload[1].toString()).getLong("bytes")).isEqualTo(100_000L);
    } finally {
      client.close();
    }
  }
}
