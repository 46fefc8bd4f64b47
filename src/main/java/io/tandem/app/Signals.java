package io.tandem.app;

/** SIGHUP, the operator's "reload your certificates", through the JDK's signal API where it exists. */
final class Signals {
  private Signals() {}

  @SuppressWarnings("restriction")
  static void onHangup(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // No SIGHUP on this platform: the admin API's reload-tls remains.
    }
  }
}
