package io.tandem.vip;

import io.vertx.core.Future;
import java.util.function.Consumer;

/**
 * The VIP as the election drives it. Every action carries the epoch of the mastership it serves,
 * for the logs. Implementations never block the caller's event loop; their futures may complete on
 * any thread (callers hop back onto their own context).
 */
public interface FloatingIp {
  /**
   * Before the node joins: checks that the driver can work on this host (tools, interface) and
   * clears what an earlier run left behind (a stale VIP). Fails with the reason; the node does not
   * start.
   */
  default Future<Void> prepare() {
    return Future.succeededFuture();
  }

  /** Takes the VIP and starts serving it; fails (holding nothing) with the reason. */
  Future<Void> acquire(long epoch);

  /** Stops serving the VIP and gives the address up; safe when not held. */
  Future<Void> release(long epoch);

  /** Tells the network again who holds it (gratuitous ARP); nothing to do for some drivers. */
  default Future<Void> announce(long epoch) {
    return Future.succeededFuture();
  }

  /**
   * Called on every heartbeat while this node is a healthy MASTER: extends the VIP's lease (the
   * kernel drops a VIP whose lease runs out, so a hung node fences itself). A failure puts the node
   * in FAULT.
   */
  default Future<Void> renew(long epoch) {
    return Future.succeededFuture();
  }

  /** The node went to FAULT (operator scripts hear of it); the VIP itself is released apart. */
  default void fault(long epoch, String reason) {}

  /**
   * Where a failure that happens apart from any call (a gratuitous ARP in the background) goes: the
   * node puts itself in FAULT with the reason.
   */
  default void onFault(Consumer<String> listener) {}

  boolean held();

  /** For status and logs: driver and address. */
  String describe();

  /** The node stops, after {@link #release}: timers end, the {@code stop} script runs. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
