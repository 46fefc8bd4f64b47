package io.tandem.backend;

import io.tandem.config.PassiveConfig;

/**
 * The rules of passive ejection (outlier detection): which outcomes count against a backend, how
 * many in a row eject it, and for how long. The time doubles with each ejection that follows
 * another without a success in between (a backend that comes back and fails straight away stays
 * out longer), up to the maximum; one success starts it again from the base time.
 */
final class PassiveEjection {
  private final PassiveConfig config;

  PassiveEjection(PassiveConfig config) {
    this.config = config;
  }

  boolean enabled() {
    return config.enabled();
  }

  int threshold() {
    return config.consecutiveFailures();
  }

  /** Connect failures, 5xx and broken exchanges speak against the backend; a cancel says nothing. */
  static boolean isFailure(Outcome outcome) {
    return outcome == Outcome.CONNECT_FAILURE
        || outcome == Outcome.SERVER_ERROR
        || outcome == Outcome.FAILURE;
  }

  /** How long the ejection after {@code previous} back-to-back ejections lasts, in ms. */
  long ejectMillis(int previous) {
    long max = config.maxEjectTime().toMillis();
    long ms = config.ejectTime().toMillis();
    for (int i = 0; i < previous && ms < max; i++) {
      ms *= 2;
    }
    return Math.min(ms, max);
  }
}
