package io.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportsTest {
  private static Transport fake(String name, Throwable unavailable) {
    return new Transport() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean available() {
        return unavailable == null;
      }

      @Override
      public Throwable unavailabilityCause() {
        return unavailable;
      }

      @Override
      public io.vertx.core.spi.transport.Transport implementation() {
        throw new UnsupportedOperationException();
      }
    };
  }

  /** In production's order of preference. */
  private static Transports with(Transport ioUring, Transport epoll) {
    Map<String, Transport> m = new LinkedHashMap<>();
    m.put("io_uring", ioUring);
    m.put("epoll", epoll);
    m.put("nio", fake("nio", null));
    return new Transports(m);
  }

  @Test
  void autoPrefersIoUring() {
    Transports.Choice c = with(fake("io_uring", null), fake("epoll", null)).choose("auto");
    assertThat(c.name()).isEqualTo("io_uring");
    assertThat(c.note()).isEmpty();
  }

  @Test
  void autoFallsBackAndSaysWhy() {
    Transports.Choice c = with(fake("io_uring", new RuntimeException("disabled by kernel.io_uring_disabled")),
        fake("epoll", null)).choose("auto");
    assertThat(c.name()).isEqualTo("epoll");
    assertThat(c.note()).isEqualTo("io_uring: disabled by kernel.io_uring_disabled");

    c = with(null, fake("epoll", new RuntimeException("no native library"))).choose("auto");
    assertThat(c.name()).isEqualTo("nio");
    assertThat(c.note()).isEqualTo("io_uring: not in this build; epoll: no native library");
  }

  @Test
  void anExplicitTransportMustBeAvailable() {
    Transports t = with(fake("io_uring", new RuntimeException("disabled by kernel.io_uring_disabled")),
        fake("epoll", null));
    assertThat(t.choose("epoll").name()).isEqualTo("epoll");
    assertThatThrownBy(() -> t.choose("io_uring"))
        .hasMessage("--transport io_uring: not available here: disabled by kernel.io_uring_disabled"
            + " (auto picks the best available one)");
    assertThatThrownBy(() -> t.choose("uring"))
        .hasMessage("--transport: 'uring' (expected: auto, io_uring, epoll, nio)");
  }

  @Test
  void theRealChoiceStartsVertx() {
    // On this build's own transports: auto picks one that works.
    Transports.Choice c = new Transports().choose("auto");
    if (Transport.IO_URING != null && Transport.IO_URING.available()) {
      assertThat(c.name()).isEqualTo("io_uring");
    } else if (Transport.EPOLL != null && Transport.EPOLL.available()) {
      assertThat(c.name()).isEqualTo("epoll");
    }
    Vertx vertx = Vertx.builder().withTransport(c.transport()).build();
    try {
      assertThat(vertx.isNativeTransportEnabled()).isEqualTo(!c.name().equals("nio"));
    } finally {
      vertx.close().await();
    }
  }
}
