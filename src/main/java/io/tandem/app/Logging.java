package io.tandem.app;

import java.util.logging.Logger;

/** One-line log records on stderr: time, level, message (node name first, by convention). */
final class Logging {
  /**
   * JGroups' TCP transport logs at SEVERE when it cannot say goodbye on a connection whose peer is
   * already gone: every crash of a peer (Tandem logs the suspicion itself), and the crash path
   * warm-up at start. An operator alerting on SEVERE would be paged for a failover that worked.
   * Held here: JUL keeps loggers weakly, and a logger collected and made again loses its filter.
   */
  private static final Logger JGROUPS_TCP = Logger.getLogger("org.jgroups.protocols.TCP");

  private Logging() {}

  static void configure() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %5$s%6$s%n");
    }
    JGROUPS_TCP.setFilter(r -> r.getMessage() == null || !r.getMessage().contains("failed sending graceful close"));
  }
}
