package io.tandem.proxy;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;

/** Reads what a failed backend connection says about the backend. */
final class Failures {
  private Failures() {}

  /**
   * True when the failure proves the backend cannot be reached now: the connection was refused
   * (nothing listens: its process is gone) or its host is unreachable. A connect timeout proves
   * nothing of the kind (a busy backend, a lost SYN, or this node's own loop running late).
   */
  static boolean backendGone(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectTimeoutException) {
        return false;
      }
      if (t instanceof NoRouteToHostException || t instanceof ConnectException) {
        return true;
      }
    }
    return false;
  }
}
