package io.tandem.sticky;

/** Why a user was moved from its backend (a label of {@code tandem_sticky_rebinds_total}). */
public enum RebindReason {
  /** The bound backend failed health checks or was ejected. */
  BACKEND_DOWN,
  /**
   * The bound backend, still up by its health checks, failed this request twice (or refused the
   * connection: its process is gone) before answering.
   */
  BACKEND_FAILED,
  /** The operator put the bound backend in maintenance. */
  BACKEND_MAINT,
  /** The bound backend is no longer in the configuration. */
  BACKEND_REMOVED,
  /** The backend's response set a new session cookie value for this key elsewhere. */
  LEARNED
}
