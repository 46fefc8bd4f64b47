package io.tandem.proxy;

import io.tandem.config.CertificateConfig;
import io.tandem.config.ListenConfig;
import io.tandem.config.TandemConfig;
import io.tandem.config.TlsConfig;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds a frontend's server options from the config: parser limits, idle timeout, TLS with SNI and ALPN. */
final class ServerOptionsFactory {
  /** The request line also holds the method and the version; the URI limit itself is checked exactly in the handler. */
  private static final int REQUEST_LINE_SLACK = 32;

  private ServerOptionsFactory() {}

  static HttpServerOptions create(ListenConfig listen, TandemConfig config) {
    HttpServerOptions o = new HttpServerOptions()
        .setHost(listen.address().host())
        .setPort(listen.address().port())
        .setMaxHeaderSize(config.limits().maxHeaderBytes())
        .setMaxInitialLineLength(config.limits().maxUriBytes() + REQUEST_LINE_SLACK)
        .setIdleTimeout((int) Math.max(1, config.timeouts().clientIdle().toSeconds()))
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setHandle100ContinueAutomatically(true)
        // No h2c: it makes Vert.x build the HTTP/1 pipeline only after the first bytes arrive,
        // too late for StrictRequestDecoder to take the decoder's place without losing them.
        .setHttp2ClearTextEnabled(false)
        .setTcpNoDelay(true)
        .setReuseAddress(true)
        // Tandem never ends a WebSocket itself: it tunnels the upgraded connection, and the backend
        // negotiates extensions with the client. With compression "supported", Vert.x puts Netty's
        // WebSocket extension handler in every HTTP/1 pipeline, where it inspects every request and
        // response (about a tenth of the event loop's time in the proxy bench's profile).
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        .setInitialSettings(new Http2Settings().setMaxHeaderListSize(config.limits().maxHeaderBytes()));
    listen.tls().ifPresent(tls -> {
      o.setSsl(true).setSni(true).setKeyCertOptions(keyCerts(tls));
      if (tls.http2()) {
        o.setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1));
      }
    });
    return o;
  }

  /** Every certificate of the listener; Vert.x picks the one matching the client's SNI, else the first. */
  static PemKeyCertOptions keyCerts(TlsConfig tls) {
    PemKeyCertOptions pem = new PemKeyCertOptions();
    for (CertificateConfig c : tls.certificates()) {
      pem.addCertPath(c.cert().toString()).addKeyPath(c.key().toString());
    }
    return pem;
  }

  static ServerSSLOptions sslOptions(TlsConfig tls) {
    ServerSSLOptions ssl = new ServerSSLOptions().setSni(true).setKeyCertOptions(keyCerts(tls));
    if (tls.http2()) {
      ssl.setUseAlpn(true).setApplicationLayerProtocols(List.of("h2", "http/1.1"));
    }
    return ssl;
  }
}
