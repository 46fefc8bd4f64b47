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
    // Stuck means a second at least (twice the timeout if longer): JIT, GC and a busy host stall a
    // loop for a few hundred ms now and then, and a failover for that would be a false one (measured
    // in the drills under load: stalls of 250-390 ms made the pair flap). A hung process is caught
    // by the peer's heartbeat timeout anyway; this is for a data path stuck in a live process.
    this.stuckMillis = Math.max(Math.max(LoopWatch.BEAT_MILLIS * 4, 1000), heartbeatTimeout.toMillis() * 2);
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
