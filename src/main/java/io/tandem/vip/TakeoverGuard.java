package io.tandem.vip;

import io.vertx.core.Future;

/** Runs before a node takes the VIP: is it held by a live peer? */
@FunctionalInterface
public interface TakeoverGuard {
  Future<GuardVerdict> check();

  /**
   * A second look at a holder that answered before and then missed a check ({@link
   * TakeoverJudge}): a guard that waits for an answer may wait longer here, since a live holder
   * wrongly taken over means two holders, and a hung one a little more time.
   */
  default Future<GuardVerdict> confirm() {
    return check();
  }
}
