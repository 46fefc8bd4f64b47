package io.tandem.cluster;

/**
 * What a node says of itself on every heartbeat and on every change. The election runs on the
 * latest status of each member, so every field it reads is here.
 *
 * @param name the node's name (unique in the cluster)
 * @param priority 1-254, higher wins
 * @param state the node's current role
 * @param epoch the epoch of the node's current or last mastership (0 = never MASTER)
 * @param maxEpochSeen the highest epoch this node has seen anywhere (a new MASTER takes this + 1)
 * @param healthy its own checks pass (event loops live, a usable backend, VIP driver fine)
 * @param inSync it holds the full sticky table (state transfer done), so it may become MASTER
 * @param eligible it may be elected at all (false in maintenance, and in the goodbye of a stopping node)
 * @param vipHeld it holds the VIP right now
 * @param usableBackends how many backends take new users on this node
 * @param probe host:port where the node's data path answers the takeover guard's HTTP probe
 * @param reason why the node is in its state (FAULT reason, "elected", ...), for status and logs
 * @param pid the node's process id
 * @param sentAtMillis wall clock at sending (for lag and staleness)
 * @param witness the sender is a witness ({@code tandem witness}): it votes for the majority rule
 *     only, and is never elected (it reports BACKUP, not eligible, no VIP)
 */
public record NodeStatus(
    String name,
    int priority,
    NodeState state,
    long epoch,
    long maxEpochSeen,
    boolean healthy,
    boolean inSync,
    boolean eligible,
    boolean vipHeld,
    int usableBackends,
    String probe,
    String reason,
    long pid,
    long sentAtMillis,
    boolean witness) {

  /** A balancer's status (not a witness). */
  public NodeStatus(String name, int priority, NodeState state, long epoch, long maxEpochSeen, boolean healthy,
      boolean inSync, boolean eligible, boolean vipHeld, int usableBackends, String probe, String reason, long pid,
      long sentAtMillis) {
    this(name, priority, state, epoch, maxEpochSeen, healthy, inSync, eligible, vipHeld, usableBackends, probe,
        reason, pid, sentAtMillis, false);
  }
}
