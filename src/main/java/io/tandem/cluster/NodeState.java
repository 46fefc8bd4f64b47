package io.tandem.cluster;

/**
 * A node's role. INIT until it has the table and has seen the cluster; BACKUP and MASTER by
 * election; FAULT when its own checks fail (no usable backend, stuck event loop, VIP driver error);
 * DRAINING while it hands the VIP over on purpose.
 */
public enum NodeState {
  INIT,
  BACKUP,
  MASTER,
  FAULT,
  DRAINING
}
