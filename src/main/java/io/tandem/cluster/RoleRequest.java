package io.tandem.cluster;

/**
 * An operator's request, carried from the node asked to the node that must act: the MASTER for a
 * failover, the named node for maintenance (FAILOVER_REQUEST on the wire).
 *
 * @param id unique per request, echoed by every {@link RoleAck} about it
 * @param asker the node whose admin API was asked (it waits for the outcome)
 * @param kind what to do
 * @param node FAILOVER: the target (null: the best other candidate); MAINTENANCE_*: the node
 * @param timeoutMillis how long the handoff may take
 */
public record RoleRequest(String id, String asker, Kind kind, String node, long timeoutMillis) {
  /** What the operator asked for. Codes are part of the wire format. */
  public enum Kind {
    FAILOVER(1),
    MAINTENANCE_ON(2),
    MAINTENANCE_OFF(3);

    final int code;

    Kind(int code) {
      this.code = code;
    }

    static Kind ofCode(int code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return k;
        }
      }
      return null;
    }
  }
}
