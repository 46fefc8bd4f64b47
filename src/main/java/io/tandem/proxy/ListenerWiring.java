package io.tandem.proxy;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * How a listener's server handles what it accepts: the strict request decoder, the connection
 * counts, the VIP's connection tracking, then the proxy handler. The real listeners and the warm-up
 * share it, so that the warm-up runs (and links) the very code that a takeover's first users meet:
 * on a standby that has never served the VIP, its first run linked a dozen lambdas inside the
 * failover gap.
 *
 * @param label the listener, as the metrics name it
 * @param tls whether the listener terminates TLS
 * @param floating the VIP when it arrives on the ordinary listeners (iproute2, script): their
 *     connections to that address are the VIP's; null when there is none, or it has its own listener
 * @param vipListener the listener serves the VIP alone ({@code bind}): all its connections are the VIP's
 */
record ListenerWiring(String label, boolean tls, String floating, boolean vipListener) {

  void wire(HttpServer server, HttpServerOptions options, ProxyObserver observer, VipConnections vipConnections,
      ProxyHandler handler) {
    observer.listening(label, tls);
    if (tls) {
      server.exceptionHandler(e -> {
        if (e instanceof javax.net.ssl.SSLException || e.getCause() instanceof javax.net.ssl.SSLException) {
          observer.tlsError(label);
        }
      });
    }
    server.connectionHandler(conn -> {
      StrictRequestDecoder.install(conn, options);
      observer.connectionOpened(label);
      if (tls) {
        // Vert.x hands over a TLS connection once its handshake is done.
        observer.tlsHandshake(label);
      }
      boolean onVip = vipListener || (floating != null && conn.localAddress() != null
          && floating.equals(conn.localAddress().hostAddress()));
      if (onVip) {
        vipConnections.opened(conn, vipListener);
      }
      conn.closeHandler(v -> {
        observer.connectionClosed(label);
        if (onVip) {
          vipConnections.closed(conn);
        }
      });
    });
    if (!vipListener && floating == null) {
      server.requestHandler(handler);
      return;
    }
    // The VIP's connections are counted so that a planned handoff can close the idle ones and wait
    // for the busy ones.
    server.requestHandler(req -> {
      if (!vipListener && !vipConnections.tracks(req.connection())) {
        handler.handle(req);
        return;
      }
      Runnable done = vipConnections.requestBegins(req.connection());
      req.response().endHandler(x -> done.run());
      req.response().closeHandler(x -> done.run());
      handler.handle(req);
    });
  }
}
