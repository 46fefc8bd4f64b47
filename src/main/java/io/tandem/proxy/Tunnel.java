package io.tandem.proxy;

import io.vertx.core.net.NetSocket;

/** Joins two sockets after an upgrade (WebSocket): bytes both ways with back-pressure; either side closing closes both. */
final class Tunnel {
  private Tunnel() {}

  static void join(NetSocket a, NetSocket b) {
    a.pipeTo(b).onComplete(v -> b.close());
    b.pipeTo(a).onComplete(v -> a.close());
  }
}
