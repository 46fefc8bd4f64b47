package io.tandem.cluster;

/**
 * What a witness says of itself on every heartbeat: a member that votes for the majority rule
 * ({@link Quorum}) and is never elected (BACKUP, not eligible, no VIP, the witness flag). It also
 * carries the highest epoch it has seen, so a balancer that restarts while its peer is down still
 * takes a new epoch above every earlier one. Not thread-safe: fed from one context.
 */
final class WitnessState {
  private final String name;
  private long maxEpochSeen;

  WitnessState(String name) {
    this.name = name;
  }

  void peerStatus(NodeStatus s) {
    maxEpochSeen = Math.max(maxEpochSeen, Math.max(s.epoch(), s.maxEpochSeen()));
  }

  long maxEpochSeen() {
    return maxEpochSeen;
  }

  /** The status to broadcast; priority 0 is outside the balancers' 1-254, as it never runs. */
  NodeStatus status(long pid, long sentAtMillis) {
    return new NodeStatus(name, 0, NodeState.BACKUP, 0, maxEpochSeen, true, true, false, false, 0, "",
        "witness", pid, sentAtMillis, true);
  }
}
