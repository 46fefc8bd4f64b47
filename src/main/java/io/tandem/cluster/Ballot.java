package io.tandem.cluster;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * The election rule as a pure function of the statuses of the live members (self included), so that
 * every node computing from the same statuses names the same MASTER. Names compare by {@link
 * String#compareTo}, which does not depend on the locale.
 */
final class Ballot {
  /** Who should lead a cluster without a MASTER: the highest priority, then the lower name. */
  static final Comparator<NodeStatus> BY_PRIORITY =
      Comparator.comparingInt(NodeStatus::priority).reversed().thenComparing(NodeStatus::name);

  /**
   * Which of two MASTERs survives a merge: the higher epoch (the later election, which the larger
   * part of the cluster is more likely to follow), then the higher priority, then the lower name.
   */
  static final Comparator<NodeStatus> BY_SENIORITY =
      Comparator.comparingLong(NodeStatus::epoch).reversed().thenComparing(BY_PRIORITY);

  private Ballot() {}

  /** May be elected: its own checks pass, it has the table, it is not in maintenance or INIT. */
  static boolean candidate(NodeStatus s) {
    return s.healthy()
        && s.inSync()
        && s.eligible()
        && (s.state() == NodeState.BACKUP || s.state() == NodeState.MASTER);
  }

  static boolean claims(NodeStatus s) {
    return s.vipHeld() || s.state() == NodeState.MASTER;
  }

  /**
   * The MASTER these members should have, if any. The current MASTER (the most senior, if a merge
   * left two) stays while it is healthy and eligible, unless preempt is on and a candidate has a
   * strictly higher priority (equal priorities never preempt: that would hand over for nothing). An
   * unhealthy MASTER stays too when no candidate can replace it: serving something beats serving
   * nothing. Without a MASTER, the best candidate.
   */
  static Optional<NodeStatus> master(Collection<NodeStatus> live, boolean preempt) {
    Optional<NodeStatus> current =
        live.stream().filter(s -> s.state() == NodeState.MASTER).min(BY_SENIORITY);
    Optional<NodeStatus> best = live.stream().filter(Ballot::candidate).min(BY_PRIORITY);
    if (current.isEmpty() || best.isEmpty()) {
      return current.isPresent() ? current : best;
    }
    NodeStatus m = current.get();
    if (!m.healthy() || !m.eligible()) {
      return best;
    }
    if (preempt && best.get().priority() > m.priority()) {
      return best;
    }
    return current;
  }
}
