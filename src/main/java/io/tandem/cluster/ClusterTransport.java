package io.tandem.cluster;

/**
 * The seam between the cluster's logic and JGroups: send bytes to every member or to one. Delivery
 * is reliable and FIFO per sender while both ends stay in the view; nothing is delivered back to the
 * sender. Implementations never block the caller.
 */
public interface ClusterTransport {
  /** To every other member. */
  void broadcast(byte[] payload);

  /** To one member, by node name; dropped when it is not in the view. */
  void send(String member, byte[] payload);
}
