package io.tandem.vip;

import io.vertx.core.Future;

/**
 * The VIP as the election drives it. Every action carries the epoch of the mastership it serves,
 * for the logs. Implementations never block the caller's event loop.
 */
public interface FloatingIp {
  /** Takes the VIP and starts serving it; fails (holding nothing) with the reason. */
  Future<Void> acquire(long epoch);

  /** Stops serving the VIP and gives the address up; safe when not held. */
  Future<Void> release(long epoch);

  /** Tells the network again who holds it (gratuitous ARP); nothing to do for some drivers. */
  default Future<Void> announce(long epoch) {
    return Future.succeededFuture();
  }

  boolean held();

  /** For status and logs: driver and address. */
  String describe();
}
