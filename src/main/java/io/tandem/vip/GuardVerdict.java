package io.tandem.vip;

/** What the takeover guard found at the VIP. */
public enum GuardVerdict {
  /** Nobody holds it: take it. */
  FREE,
  /** Someone holds it and its data path answers: do not take it (split brain otherwise). */
  HELD_ALIVE,
  /** Someone holds it but does not answer the probe in time: frozen, or late ({@link TakeoverJudge} rules). */
  HELD_UNRESPONSIVE
}
