package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.sticky.Binding;
import io.tandem.sticky.StickyTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class SnapshotTest {
  private static final Duration IDLE = Duration.ofMinutes(30);
  private final TestClock clock = new TestClock();

  @Test
  void restoringHundredThousandBindingsReproducesTheSource() throws IOException {
    StickyTable source = filled(100_000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    long written = WireCodec.writeSnapshot(source, out);
    StickyTable copy = StickyTable.local(IDLE, 200_000, clock);
    long read = WireCodec.readSnapshot(new ByteArrayInputStream(out.toByteArray()), copy::applyRemote);

    assertThat(written).isEqualTo(100_000);
    assertThat(read).isEqualTo(100_000);
    assertThat(contents(copy)).isEqualTo(contents(source));
  }

  @Test
  void emptyTableMakesAValidSnapshot() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WireCodec.writeSnapshot(StickyTable.local(IDLE, 10, clock), out);

    assertThat(WireCodec.readSnapshot(new ByteArrayInputStream(out.toByteArray()), b -> {})).isZero();
  }

  @Test
  void refusesAStreamThatIsNotASnapshot() {
    byte[] delta = WireCodec.encodeDeltas(new DeltaBatch("a", 1, 1, java.util.List.of()));

    assertThatThrownBy(() -> WireCodec.readSnapshot(new ByteArrayInputStream(delta), b -> {}))
        .isInstanceOf(WireFormatException.class).hasMessage("SNAPSHOT: not a snapshot (type 2) at offset 0");
  }

  @Test
  void refusesAFrameLongerThanTheLimit() {
    byte[] bad = {16, 1, 0x7F, 0, 0, 0};

    assertThatThrownBy(() -> WireCodec.readSnapshot(new ByteArrayInputStream(bad), b -> {}))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("SNAPSHOT: frame 0 length 2130706432 out of range at offset 2");
  }

  /** Not timed (shared CI machines); prints the figures. Filling the source takes most of its ~7 s. */
  @Test
  @Tag("slow")
  void snapshotsAndRestoresAMillionBindings() throws IOException {
    StickyTable source = filled(1_000_000);
    ByteArrayOutputStream out = new ByteArrayOutputStream(48 << 20);

    long start = System.nanoTime();
    WireCodec.writeSnapshot(source, out);
    long wrote = System.nanoTime();
    byte[] bytes = out.toByteArray();
    out = null;
    StickyTable copy = StickyTable.local(IDLE, 2_000_000, clock);
    long n = WireCodec.readSnapshot(new ByteArrayInputStream(bytes), copy::applyRemote);
    long read = System.nanoTime();

    System.out.printf("snapshot of %d bindings: %d bytes (%.1f per binding), write %d ms, read+apply %d ms%n",
        n, bytes.length, bytes.length / (double) n, (wrote - start) / 1_000_000, (read - wrote) / 1_000_000);
    assertThat(copy.size()).isEqualTo(1_000_000);
    assertThat(copy.get(key(999_999))).isEqualTo(source.get(key(999_999)));
  }

  private StickyTable filled(int n) {
    StickyTable t = StickyTable.local(IDLE, 2 * n, clock);
    for (int i = 0; i < n; i++) {
      t.bind(key(i), "web-" + (i % 5));
      if (i % 1000 == 0) {
        clock.advance(Duration.ofMillis(7)); // spread lastSeen a little, as real traffic does
      }
    }
    return t;
  }

  /** 32 hex characters, like a session id (the top bit is set so the hex is always 16 long). */
  private static String key(int i) {
    String h = Long.toHexString(i * 0x9E3779B97F4A7C15L | Long.MIN_VALUE);
    return h + h;
  }

  private static Map<String, Binding> contents(StickyTable t) {
    Map<String, Binding> m = new HashMap<>();
    t.forEach(b -> m.put(b.key(), b));
    return m;
  }
}
