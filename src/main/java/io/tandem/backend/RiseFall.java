package io.tandem.backend;

/**
 * The health checker's verdict on one backend, with hysteresis: starts up (as the pool does, so
 * traffic flows before the first check), goes down after {@code fall} bad checks in a row and up
 * again after {@code rise} good ones. A check that agrees with the verdict clears the streak.
 * Not thread-safe: each backend's checks run one after another on one context.
 */
final class RiseFall {
  private final int rise;
  private final int fall;
  private boolean up = true;
  private int streak;

  RiseFall(int rise, int fall) {
    if (rise < 1 || fall < 1) {
      throw new IllegalArgumentException("rise " + rise + ", fall " + fall + " (expected: >= 1)");
    }
    this.rise = rise;
    this.fall = fall;
  }

  /** Counts one check; true when this check flips the verdict. */
  boolean record(boolean good) {
    if (good == up) {
      streak = 0;
      return false;
    }
    streak++;
    if (streak < (up ? fall : rise)) {
      return false;
    }
    up = good;
    streak = 0;
    return true;
  }

  boolean up() {
    return up;
  }
}
