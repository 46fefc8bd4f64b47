package io.tandem.cluster;

/** A failover or maintenance request that was refused, failed or timed out: the reason, for the operator. */
public final class RoleRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean timedOut;

  public RoleRefused(String reason, boolean timedOut) {
    super(reason, null, false, false);
    this.timedOut = timedOut;
  }

  /** The handoff was accepted but did not complete in time (else: refused or failed). */
  public boolean timedOut() {
    return timedOut;
  }
}
