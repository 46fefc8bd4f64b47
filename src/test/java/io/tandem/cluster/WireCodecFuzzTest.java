package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.tandem.sticky.Binding;
import io.tandem.sticky.StickyTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Whatever the bytes, decoding either succeeds or throws WireFormatException: nothing else. */
class WireCodecFuzzTest {
  private static final long NOW = 1_700_000_000_000L;
  private final SplittableRandom random = new SplittableRandom(20240607);

  @Test
  void randomBytesOnlyEverFailWithWireFormatException() {
    int[] types = {1, 2, 3, 4, 5, 16, 0, 255};
    for (int i = 0; i < 100_000; i++) {
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      if (bytes.length > 1 && random.nextInt(10) > 0) {
        bytes[0] = (byte) types[random.nextInt(types.length)];
        bytes[1] = 1; // past the header most of the time, to reach the fields
      }
      decodeExpectingOnlyWireFormatException(bytes);
    }
  }

  @Test
  void everyTruncationOfAValidMessageFailsCleanly() {
    for (byte[] valid : validMessages()) {
      for (int len = 0; len < valid.length; len++) {
        byte[] cut = Arrays.copyOf(valid, len);

        assertThatThrownBy(() -> decode(cut)).as("truncated to %d of %d", len, valid.length)
            .isInstanceOf(WireFormatException.class);
      }
    }
  }

  @Test
  void corruptedValidMessagesOnlyEverFailWithWireFormatException() {
    List<byte[]> valid = validMessages();
    for (int i = 0; i < 100_000; i++) {
      byte[] bytes = valid.get(random.nextInt(valid.size())).clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      decodeExpectingOnlyWireFormatException(bytes);
    }
  }

  @Test
  void truncatedOrCorruptedSnapshotsOnlyEverFailWithWireFormatException() throws IOException {
    StickyTable table = StickyTable.local(Duration.ofHours(1), 100_000, () -> NOW);
    for (int i = 0; i < 10_000; i++) {
      table.bind("key-" + i, "web-" + (i % 4));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WireCodec.writeSnapshot(table, out);
    byte[] valid = out.toByteArray();

    for (int i = 0; i < 2_000; i++) {
      byte[] cut = Arrays.copyOf(valid, random.nextInt(valid.length));
      assertThatThrownBy(() -> WireCodec.readSnapshot(new ByteArrayInputStream(cut), b -> {}))
          .isInstanceOf(WireFormatException.class);
    }
    for (int i = 0; i < 2_000; i++) {
      byte[] bad = valid.clone();
      bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
      try {
        WireCodec.readSnapshot(new ByteArrayInputStream(bad), b -> {});
      } catch (WireFormatException expected) {
        // fine
      }
    }
  }

  private static List<byte[]> validMessages() {
    List<byte[]> messages = new ArrayList<>();
    messages.add(WireCodec.encodeStatus(WireCodecTest.status(NodeState.MASTER)));
    messages.add(WireCodec.encodeDeltas(new DeltaBatch("node-a", NOW, 9, List.of(
        new Delta.Bind(new Binding("c:ключ", "web-1", 17, NOW - 3)),
        new Delta.Remove("c:日本語", 18),
        new Delta.Touch("k", NOW - 2500),
        new Delta.Bind(new Binding("k2", "web-2", 19, NOW))))));
    messages.add(WireCodec.encodeDeltas(new DeltaBatch("node-a", NOW, 10, List.of())));
    messages.add(WireCodec.encodeSync(new SyncChunk("node-b", NOW, 3, false, List.of(
        new Binding("a", "web-1", 1, NOW), new Binding("ü", "web-3", 300, NOW - 90_000)))));
    return messages;
  }

  private static void decodeExpectingOnlyWireFormatException(byte[] bytes) {
    try {
      decode(bytes);
    } catch (WireFormatException expected) {
      assertThat(expected.getMessage()).contains(" at offset ");
    } catch (RuntimeException | Error e) {
      fail("decoding " + Arrays.toString(bytes) + " threw " + e, e);
    }
  }

  private static Object decode(byte[] bytes) {
    return switch (WireCodec.typeOf(bytes)) {
      case STATUS -> WireCodec.decodeStatus(bytes);
      case DELTAS -> WireCodec.decodeDeltas(bytes);
      case SYNC -> WireCodec.decodeSync(bytes);
      case BACKEND_STATES -> WireCodec.decodeBackendStates(bytes);
      case FAILOVER_REQUEST -> WireCodec.decodeRoleRequest(bytes);
      case FAILOVER_ACK -> WireCodec.decodeRoleAck(bytes);
      default -> throw new WireFormatException("reserved type at offset 0");
    };
  }
}
