package io.tandem.cluster;

/** What the cluster reports as it works; metrics implement it. Calls come from the node's cluster context. */
public interface ClusterObserver extends LagRecorder {
  ClusterObserver NOOP = new ClusterObserver() {};

  @Override
  default void record(String sender, long lagMillis) {}

  /** This node's role changed. */
  default void stateChanged(NodeState from, NodeState to, long epoch, String reason) {}

  /** This node took the VIP ({@code tookMillis} from the decision to serving it). */
  default void becameMaster(long epoch, String reason, long tookMillis) {}

  /** The VIP driver failed (acquire, release, lease renewal, gratuitous ARP): the node goes to FAULT. */
  default void vipFault(String reason) {}

  default void viewChanged(int members, boolean merge) {}
}
