package io.tandem.vip;

import io.vertx.core.Future;

/** Runs before a node takes the VIP: is it held by a live peer? */
@FunctionalInterface
public interface TakeoverGuard {
  Future<GuardVerdict> check();
}
