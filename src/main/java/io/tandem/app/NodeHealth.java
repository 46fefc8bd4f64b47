package io.tandem.app;

import io.tandem.backend.Backend;
import io.tandem.backend.BackendPool;
import io.tandem.cluster.LocalHealth;
import io.tandem.proxy.LoopWatch;
import java.time.Duration;

/**
 * The node's own verdict on itself, read on every heartbeat: its proxy event loops must be beating
 * (a stuck data path must not keep the VIP) and at least one backend must take new users.
 */
final class NodeHealth implements LocalHealth {
  private final BackendPool pool;
  private final LoopWatch loops;
  private final long stuckMillis;

  NodeHealth(BackendPool pool, LoopWatch loops, Duration heartbeatTimeout) {
    this.pool = pool;
    this.loops = loops;
    // A loop late by half the timeout is stuck: the peer must hear of it before it would time out.
    this.stuckMillis = Math.max(LoopWatch.BEAT_MILLIS * 4, heartbeatTimeout.toMillis() / 2);
  }

  @Override
  public String problem() {
    long stale = loops.stalestMillis();
    if (stale > stuckMillis) {
      return "event loop stuck for " + stale + " ms";
    }
    return usableBackends() == 0 ? "no usable backend" : null;
  }

  @Override
  public int usableBackends() {
    int n = 0;
    for (Backend b : pool.all()) {
      if (b.state().acceptsNew()) {
        n++;
      }
    }
    return n;
  }
}
