package io.tandem.cluster;

import java.time.Duration;

/**
 * How {@link ReplicatedStickyTable} batches.
 *
 * @param batchInterval how often queued changes are sent (a few ms: a failover loses at most this)
 * @param touchInterval how often coalesced touches are sent; well below the idle timeout, since
 *     touches only have to keep the peer's entry from expiring
 * @param maxBatchEntries a batch is sent early, and split, at this many entries
 * @param maxBatchBytes ... or at about this many bytes (estimated from key lengths)
 * @param syncChunkBindings bindings per SYNC chunk of a full sync
 */
public record ReplicationOptions(
    Duration batchInterval,
    Duration touchInterval,
    int maxBatchEntries,
    int maxBatchBytes,
    int syncChunkBindings) {

  public ReplicationOptions {
    positive("batchInterval", batchInterval);
    positive("touchInterval", touchInterval);
    atLeastOne("maxBatchEntries", maxBatchEntries);
    atLeastOne("maxBatchBytes", maxBatchBytes);
    atLeastOne("syncChunkBindings", syncChunkBindings);
  }

  /** 5 ms batches of up to 500 entries or 32 KiB, touches every min(idle / 4, 10 s), 2000-binding chunks. */
  public static ReplicationOptions defaults(Duration idleTimeout) {
    positive("idleTimeout", idleTimeout);
    Duration quarter = idleTimeout.dividedBy(4);
    Duration touch = quarter.compareTo(Duration.ofSeconds(10)) < 0 ? quarter : Duration.ofSeconds(10);
    return new ReplicationOptions(Duration.ofMillis(5), touch.isZero() ? Duration.ofMillis(1) : touch,
        500, 32 * 1024, 2000);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
    }
  }

  private static void atLeastOne(String name, int n) {
    if (n < 1) {
      throw new IllegalArgumentException(name + ": " + n + " (expected: >= 1)");
    }
  }
}
