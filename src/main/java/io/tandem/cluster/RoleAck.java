package io.tandem.cluster;

/**
 * What the acting node says about a {@link RoleRequest} or its handoff, to every node (FAILOVER_ACK
 * on the wire): the asker learns the outcome, and every node learns of the handoff (its ballot then
 * names the target, see {@link Handoff}).
 *
 * @param requestId the request it answers ("" for a handoff the node began by itself)
 * @param sender the acting node (for a handoff: the holder)
 * @param outcome what happened
 * @param target ACCEPTED, READY: the handoff's target; else null
 * @param timeoutMillis ACCEPTED, READY: how long the handoff may still take
 * @param reason REFUSED, ABORTED: why; else null
 */
public record RoleAck(String requestId, String sender, Outcome outcome, String target, long timeoutMillis,
    String reason) {
  /** Codes are part of the wire format. */
  public enum Outcome {
    /** Done at once (maintenance on a node that is not MASTER, maintenance off). */
    DONE(1),
    /** Refused, with the reason; nothing changed. */
    REFUSED(2),
    /** The holder drains for a handoff to {@code target}. */
    ACCEPTED(3),
    /** The holder has drained: the target takes the VIP now. */
    READY(4),
    /** The handoff failed or was given up, with the reason; the holder is MASTER again if it still holds the VIP. */
    ABORTED(5);

    final int code;

    Outcome(int code) {
      this.code = code;
    }

    static Outcome ofCode(int code) {
      for (Outcome o : values()) {
        if (o.code == code) {
          return o;
        }
      }
      return null;
    }
  }
}
