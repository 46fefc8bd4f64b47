package io.tandem.app;

/** One-line log records on stderr: time, level, message (node name first, by convention). */
final class Logging {
  private Logging() {}

  static void configure() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %5$s%6$s%n");
    }
  }
}
