package io.tandem.cluster;

/**
 * The first byte of every cluster message. Codes are part of the wire format: never renumber, only
 * add. Reserved types are decoded as far as their header (so a dispatcher can tell them apart) but
 * have no body codec yet.
 */
public enum MessageType {
  /** A node's {@link NodeStatus}. */
  STATUS(1, false),
  /** A batch of sticky changes from one sender ({@link DeltaBatch}). */
  DELTAS(2, false),
  /** A chunk of a full-table snapshot after a merge ({@link SyncChunk}). */
  SYNC(3, false),
  /** An operator's failover or maintenance request, to the node that acts ({@link RoleRequest}). */
  FAILOVER_REQUEST(4, false),
  /** The acting node's answer and the handoff's progress, to every node ({@link RoleAck}). */
  FAILOVER_ACK(5, false),
  /** The operator's backend states as the sender knows them ({@link BackendStates}). */
  BACKEND_STATES(6, false),
  /** The first byte of a state-transfer stream ({@link WireCodec#writeSnapshot}), never a message. */
  SNAPSHOT(16, false);

  private final int code;
  private final boolean reserved;

  MessageType(int code, boolean reserved) {
    this.code = code;
    this.reserved = reserved;
  }

  public int code() {
    return code;
  }

  /** Whether the type has a number but no body codec yet. */
  public boolean reserved() {
    return reserved;
  }

  /** The type with this code, or null. */
  static MessageType ofCode(int code) {
    for (MessageType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
