package io.tandem.vip;

import io.vertx.core.Future;

/** A pair without a VIP (each node serves only its own listeners): MASTER is a role, nothing moves. */
public final class NoFloatingIp implements FloatingIp {
  private volatile boolean held;

  @Override
  public Future<Void> acquire(long epoch) {
    held = true;
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> release(long epoch) {
    held = false;
    return Future.succeededFuture();
  }

  @Override
  public boolean held() {
    return held;
  }

  @Override
  public String describe() {
    return "none";
  }
}
