package io.tandem.cluster;

/**
 * The outcome of an operator's failover or maintenance request, as the asked node saw it.
 *
 * @param node the node that acted (the old MASTER for a failover, the named node for maintenance)
 * @param from the node that held the VIP before (null when nothing was handed over)
 * @param holder who holds the VIP now (null when no one is known to)
 * @param epoch the holder's epoch
 * @param tookMillis from the request to the new holder serving the VIP (0 when nothing was handed over)
 * @param maintenance for a maintenance request: the node's maintenance state now; else null
 */
public record RoleResult(String node, String from, String holder, long epoch, long tookMillis, Boolean maintenance) {}
