package io.tandem.backend;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Weighted least outstanding requests: the usable backend with the smallest {@code (inFlight + 1)
 * / weight}, compared by cross-multiplying (no floats, no rounding). The scan starts at a rotating
 * index and only a strictly smaller load wins, so equal backends take turns (round robin among
 * ties). Lock-free and allocation-free: it runs for every new user.
 *
 * <p>Under load, outstanding requests settle in proportion to the weights. With almost no
 * concurrency (every request done before the next arrives) the heaviest backend wins every pick,
 * as with HAProxy's weighted leastconn.
 */
final class LeastOutstanding {
  private final AtomicInteger rotation = new AtomicInteger();

  /** The pick, or null when no backend both accepts new users and is not excluded. */
  PooledBackend pick(PooledBackend[] backends, Collection<String> exclude) {
    int n = backends.length;
    if (n == 0) {
      return null;
    }
    boolean excluding = !exclude.isEmpty();
    int index = Math.floorMod(rotation.getAndIncrement(), n);
    PooledBackend best = null;
    long bestLoad = 0;
    long bestWeight = 1;
    for (int i = 0; i < n; i++, index = index + 1 == n ? 0 : index + 1) {
      PooledBackend b = backends[index];
      if (!b.state().acceptsNew() || excluding && exclude.contains(b.id())) {
        continue;
      }
      long load = b.inFlight.get() + 1L;
      long weight = b.config().weight();
      // load / weight < bestLoad / bestWeight, with positive weights
      if (best == null || load * bestWeight < bestLoad * weight) {
        best = b;
        bestLoad = load;
        bestWeight = weight;
      }
    }
    return best;
  }
}
