package io.tandem.cluster;

import java.time.Duration;

/**
 * Runs a task periodically: Vert.x periodic timers in the node, a hand-cranked fake in tests. The
 * task must not block; runs of one task never overlap.
 */
@FunctionalInterface
public interface Scheduler {

  Cancellable every(Duration period, Runnable task);

  /** Stops a periodic task; idempotent. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
