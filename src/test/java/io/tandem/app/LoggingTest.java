package io.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jgroups.protocols.TCP;
import org.junit.jupiter.api.Test;

class LoggingTest {
  @Test
  void jgroupsGoodbyeFailuresToAGonePeerAreDroppedAndItsOtherErrorsKept() {
    Logging.configure();
    // JGroups logs through java.util.logging, one logger per protocol class; its TCP transport's
    // connections log through the transport's.
    Logger tcp = Logger.getLogger(TCP.class.getName());

    assertThat(tcp.getFilter().isLoggable(new LogRecord(Level.SEVERE,
        "198.18.0.12:7800: failed sending graceful close to 198.18.0.11:7800: Broken pipe"))).isFalse();
    assertThat(tcp.getFilter().isLoggable(new LogRecord(Level.SEVERE, "failed to bind to 198.18.0.12:7800"))).isTrue();
  }
}
