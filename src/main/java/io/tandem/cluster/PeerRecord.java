package io.tandem.cluster;

/**
 * What one node knows of one peer: its latest status, when that arrived on the local clock (not the
 * peer's, which may disagree), and whether FD_SOCK2 has suspected it since.
 */
final class PeerRecord {
  /** How a peer counts in the election. */
  enum Liveness {
    /** Heard from within the timeout: its status counts. */
    ALIVE,
    /** Not heard from yet (or only before a pause): it may be a MASTER, so no one takes over. */
    UNKNOWN,
    /** Left the view, suspected, or silent for longer than the timeout. */
    GONE
  }

  /** When the peer entered the view (or first spoke): a silent newcomer is waited for from here. */
  final long since;

  NodeStatus status;
  long receivedAt;
  boolean suspected;

  PeerRecord(long since) {
    this.since = since;
  }

  void heard(NodeStatus s, long now) {
    status = s;
    receivedAt = now;
    // A status newer than the suspicion proves the peer alive: a false suspicion heals itself.
    suspected = false;
  }

  /**
   * How it counts now, given the timeout and when this node last woke from a pause (statuses from
   * before a pause say nothing about now).
   */
  Liveness liveness(long now, long timeoutMillis, long wokeAt) {
    if (suspected) {
      return Liveness.GONE;
    }
    if (status != null && receivedAt >= wokeAt) {
      return now - receivedAt <= timeoutMillis ? Liveness.ALIVE : Liveness.GONE;
    }
    return now - Math.max(since, wokeAt) <= timeoutMillis ? Liveness.UNKNOWN : Liveness.GONE;
  }

  /** It claims the VIP or the MASTER role, so no one else may take over yet. */
  boolean claims() {
    return status != null && Ballot.claims(status);
  }
}
