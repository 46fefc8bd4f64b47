package io.tandem.cluster;

/**
 * Hears the replication lag of each received DELTAS batch: receiver's wall clock minus the sender's
 * at sending, so it includes clock skew between the hosts (and can be negative). Metrics implement
 * it; it is called on the receiving thread and must be cheap.
 */
@FunctionalInterface
public interface LagRecorder {

  void record(String sender, long lagMillis);

  static LagRecorder none() {
    return (sender, lagMillis) -> {};
  }
}
