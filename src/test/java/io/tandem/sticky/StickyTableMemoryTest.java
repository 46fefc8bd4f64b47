package io.tandem.sticky;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A rough heap measure (not a timing): a million users must fit in little memory. The issue's
 * target is 150 bytes per binding and the layout gives 104 with this key (see
 * {@code LocalStickyTable}); the bound sits between, as garbage collection makes the number noisy.
 */
class StickyTableMemoryTest {
  private static final int BINDINGS = 300_000;

  @Test
  void aBindingWithAJsessionidSizedKeyTakesUnder140BytesOfHeap() {
    FakeClock clock = new FakeClock();
    SplittableRandom random = new SplittableRandom(7);
    HexFormat hex = HexFormat.of();
    long before = usedHeap();

    StickyTable table = StickyTable.local(Duration.ofMinutes(30), BINDINGS, clock);
    for (int i = 0; i < BINDINGS; i++) {
      byte[] id = new byte[16];
      random.nextBytes(id);
      // A 32-character session id, as Tomcat issues; backend ids arrive as fresh strings.
      table.bind("c:" + hex.formatHex(id), "web" + (i % 10));
    }
    long perBinding = (usedHeap() - before) / BINDINGS;

    System.out.printf("sticky table: about %d bytes per binding (34-character keys)%n", perBinding);
    assertThat(table.size()).isEqualTo(BINDINGS);
    assertThat(perBinding).isLessThan(140);
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
