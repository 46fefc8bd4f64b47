package io.tandem.proxy;

import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Turns a peer's socket address into an InetAddress without a DNS look-up. */
final class Addresses {
  private Addresses() {}

  static InetAddress of(SocketAddress peer) {
    if (peer instanceof io.vertx.core.net.impl.SocketAddressImpl impl && impl.ipAddress() != null) {
      return impl.ipAddress();
    }
    String host = peer.hostAddress();
    if (host == null) {
      return null;
    }
    try {
      // hostAddress() is always a literal here, so this parses rather than resolves.
      return new InetSocketAddress(InetAddress.getByName(host), 0).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
