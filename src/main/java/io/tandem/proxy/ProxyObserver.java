package io.tandem.proxy;

import io.tandem.sticky.RebindReason;

/** What the data path reports as it works; metrics implement it, tests may record it. */
public interface ProxyObserver {
  ProxyObserver NOOP = new ProxyObserver() {};

  /** A response was sent for a request forwarded to {@code backendId} (null when none was chosen). */
  default void requestDone(String backendId, int status, long nanos) {}

  /** A request ended in an error of the proxy's own: {@code reason} is a short stable label. */
  default void proxyError(String reason) {}

  /** A sticky user was moved off its backend. */
  default void rebound(RebindReason reason) {}

  /**
   * A listener is about to accept: its series can be registered at zero now, so that Prometheus sees
   * the first connection as an increase and the first connection after a takeover pays no
   * registration.
   */
  default void listening(String listener, boolean tls) {}

  default void connectionOpened(String listener) {}

  /** A TLS handshake completed on a listener. */
  default void tlsHandshake(String listener) {}

  /** A TLS handshake or record failed on a listener (bad client hello, unknown CA, ...). */
  default void tlsError(String listener) {}

  default void connectionClosed(String listener) {}
}
