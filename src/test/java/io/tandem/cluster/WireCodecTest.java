package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.backend.AdminState;
import io.tandem.sticky.Binding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WireCodecTest {
  private static final long NOW = 1_700_000_123_456L;

  static NodeStatus status(NodeState state) {
    return new NodeStatus("node-ä1", 254, state, 7, 9, true, false, true, true, 3, "10.0.0.1:8080",
        "elected", 4242, NOW);
  }

  @ParameterizedTest
  @EnumSource(NodeState.class)
  void statusRoundTripsInEveryState(NodeState state) {
    NodeStatus s = status(state);

    byte[] wire = WireCodec.encodeStatus(s);

    assertThat(WireCodec.typeOf(wire)).isEqualTo(MessageType.STATUS);
    assertThat(WireCodec.decodeStatus(wire)).isEqualTo(s);
  }

  @Test
  void statusRoundTripsNullTextsAndExtremeNumbers() {
    NodeStatus s = new NodeStatus("", Integer.MIN_VALUE, NodeState.FAULT, Long.MAX_VALUE,
        Long.MIN_VALUE, false, true, false, false, Integer.MAX_VALUE, null, null, -1, 0);

    assertThat(WireCodec.decodeStatus(WireCodec.encodeStatus(s))).isEqualTo(s);
  }

  @Test
  void eachStatusFlagTravelsOnItsOwn() {
    for (int flags = 0; flags < 16; flags++) {
      NodeStatus s = new NodeStatus("n", 1, NodeState.BACKUP, 0, 0, (flags & 1) != 0, (flags & 2) != 0,
          (flags & 4) != 0, (flags & 8) != 0, 0, "p", "r", 1, NOW);

      assertThat(WireCodec.decodeStatus(WireCodec.encodeStatus(s))).isEqualTo(s);
    }
  }

  @Test
  void witnessFlagTravelsAndABalancersStatusHasTheSameBytesAsBefore() {
    NodeStatus w = new NodeStatus("w", 0, NodeState.BACKUP, 0, 7, true, true, false, false, 0, "", "witness", 1,
        NOW, true);
    NodeStatus b = new NodeStatus("n", 1, NodeState.BACKUP, 0, 0, true, true, true, false, 0, "p", "r", 1, NOW);

    assertThat(WireCodec.decodeStatus(WireCodec.encodeStatus(w))).isEqualTo(w);
    assertThat(WireCodec.decodeStatus(WireCodec.encodeStatus(b)).witness()).isFalse();
    // Flags byte: name (2 bytes), priority, state, epoch, maxEpochSeen after the 2-byte header.
    assertThat(WireCodec.encodeStatus(b)[8]).isEqualTo((byte) 0x07);
    assertThat(WireCodec.encodeStatus(w)[8]).isEqualTo((byte) 0x13);
  }

  @Test
  void statusWithAnUnknownFlagIsRefused() {
    byte[] wire = WireCodec.encodeStatus(new NodeStatus("n", 1, NodeState.BACKUP, 0, 0, true, true, true, false,
        0, "p", "r", 1, NOW));
    wire[8] |= 0x20;

    assertThatThrownBy(() -> WireCodec.decodeStatus(wire)).isInstanceOf(WireFormatException.class)
        .hasMessageContaining("unknown bits 0x20");
  }

  @Test
  void deltasRoundTripEveryEntryKindWithUnicodeKeys() {
    DeltaBatch batch = new DeltaBatch("nöde-1", NOW, 42, List.of(
        new Delta.Bind(new Binding("c:ключ-🍪", "web-1", 17, NOW - 3)),
        new Delta.Remove("c:日本語", 18),
        new Delta.Touch("k", NOW - 2500),
        new Delta.Bind(new Binding("", "wéb-2", 5, NOW + 10)), // versions need not grow in a batch
        new Delta.Remove("x", Long.MAX_VALUE),
        new Delta.Bind(new Binding("y", "web-1", Long.MIN_VALUE, Long.MIN_VALUE)),
        new Delta.Touch("z", Long.MAX_VALUE)));

    byte[] wire = WireCodec.encodeDeltas(batch);

    assertThat(WireCodec.typeOf(wire)).isEqualTo(MessageType.DELTAS);
    assertThat(WireCodec.decodeDeltas(wire)).isEqualTo(batch);
  }

  @Test
  void emptyDeltaBatchRoundTrips() {
    DeltaBatch batch = new DeltaBatch("a", NOW, 1, List.of());

    byte[] wire = WireCodec.encodeDeltas(batch);

    assertThat(WireCodec.decodeDeltas(wire)).isEqualTo(batch);
    assertThat(wire.length).isLessThan(16);
  }

  @Test
  void syncChunkRoundTrips() {
    List<Binding> bindings = List.of(new Binding("ß", "web-1", 3, NOW - 60_000),
        new Binding("b", "web-2", 2, NOW), new Binding("c", "web-1", 900_000, NOW - 1));
    SyncChunk chunk = new SyncChunk("node-b", NOW, 12, true, bindings);

    byte[] wire = WireCodec.encodeSync(chunk);

    assertThat(WireCodec.typeOf(wire)).isEqualTo(MessageType.SYNC);
    assertThat(WireCodec.decodeSync(wire)).isEqualTo(chunk);
  }

  @Test
  void emptyLastSyncChunkRoundTrips() {
    SyncChunk chunk = new SyncChunk("node-b", NOW, 0, true, List.of());

    assertThat(WireCodec.decodeSync(WireCodec.encodeSync(chunk))).isEqualTo(chunk);
  }

  @Test
  void thousandBindsToThreeBackendsEncodeUnder45KB() {
    List<Delta> entries = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String key = String.format("%032x", i * 0x9E3779B97F4A7C15L); // 32 hex chars, like a session id
      entries.add(new Delta.Bind(new Binding(key, "web-" + (i % 3), 1_000_000 + i, NOW - i % 50)));
    }

    byte[] wire = WireCodec.encodeDeltas(new DeltaBatch("node-a", NOW, 7, entries));

    System.out.printf("DELTAS of 1000 binds: %d bytes, %.1f bytes per bind%n", wire.length, wire.length / 1000.0);
    assertThat(wire.length).isLessThan(45 * 1024);
    assertThat(WireCodec.decodeDeltas(wire).entries()).isEqualTo(entries);
  }

  @Test
  void failoverMessagesRoundTrip() {
    RoleRequest q = new RoleRequest("r-1", "lb2", RoleRequest.Kind.FAILOVER, null, 10_000);
    assertThat(WireCodec.typeOf(WireCodec.encodeRoleRequest(q))).isEqualTo(MessageType.FAILOVER_REQUEST);
    assertThat(WireCodec.decodeRoleRequest(WireCodec.encodeRoleRequest(q))).isEqualTo(q);
    RoleRequest m = new RoleRequest("r-2", "lb1", RoleRequest.Kind.MAINTENANCE_ON, "lb2", 3_000);
    assertThat(WireCodec.decodeRoleRequest(WireCodec.encodeRoleRequest(m))).isEqualTo(m);
    RoleAck a = new RoleAck("r-1", "lb1", RoleAck.Outcome.ACCEPTED, "lb2", 10_500, null);
    assertThat(WireCodec.typeOf(WireCodec.encodeRoleAck(a))).isEqualTo(MessageType.FAILOVER_ACK);
    assertThat(WireCodec.decodeRoleAck(WireCodec.encodeRoleAck(a))).isEqualTo(a);
    RoleAck no = new RoleAck("r-1", "lb1", RoleAck.Outcome.REFUSED, null, 0, "lb3 is unhealthy: no usable backend");
    assertThat(WireCodec.decodeRoleAck(WireCodec.encodeRoleAck(no))).isEqualTo(no);
    assertThat(MessageType.FAILOVER_REQUEST.reserved()).isFalse();
  }

  @Test
  void refusesAnUnknownFailoverKind() {
    byte[] wire = WireCodec.encodeRoleRequest(new RoleRequest("r", "a", RoleRequest.Kind.FAILOVER, null, 1));
    wire[2 + 2 + 2] = 9; // after the header and two one-byte strings
    assertThatThrownBy(() -> WireCodec.decodeRoleRequest(wire))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("kind").hasMessageContaining("unknown code 9");
  }

  @Test
  void refusesUnknownType() {
    assertThatThrownBy(() -> WireCodec.typeOf(new byte[] {99, 1}))
        .isInstanceOf(WireFormatException.class).hasMessage("message: unknown type 99 at offset 0");
  }

  @Test
  void refusesUnknownVersion() {
    assertThatThrownBy(() -> WireCodec.decodeDeltas(new byte[] {2, 2}))
        .isInstanceOf(WireFormatException.class).hasMessage("DELTAS: unknown format version 2 at offset 1");
  }

  @Test
  void refusesEmptyMessage() {
    assertThatThrownBy(() -> WireCodec.typeOf(new byte[0]))
        .isInstanceOf(WireFormatException.class).hasMessage("message: type past end at offset 0");
  }

  @Test
  void refusesAMessageOfAnotherType() {
    byte[] status = WireCodec.encodeStatus(status(NodeState.MASTER));

    assertThatThrownBy(() -> WireCodec.decodeDeltas(status))
        .isInstanceOf(WireFormatException.class).hasMessage("DELTAS: got a STATUS message at offset 0");
  }

  @Test
  void namesTheEntryAndOffsetOfAKeyPastTheEnd() {
    byte[] wire = WireCodec.encodeDeltas(new DeltaBatch("a", NOW, 1,
        List.of(new Delta.Touch("k1", NOW), new Delta.Remove("k2", 3))));
    int at = indexOfLast(wire, (byte) 2, (byte) 'k'); // entry 1's key length (entry 0 is TOUCH "k1")
    byte[] bad = wire.clone();
    bad[at] = 100;

    assertThatThrownBy(() -> WireCodec.decodeDeltas(bad))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("DELTAS: entry 1 key length 100 past end at offset " + at);
  }

  @Test
  void refusesAnAbsurdEntryCount() {
    WireWriter w = deltasHeader();
    w.uvarint(0); // empty dictionary
    w.uvarint(1L << 40); // entries

    assertThatThrownBy(() -> WireCodec.decodeDeltas(w.toByteArray()))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("DELTAS: entry count 1099511627776 exceeds the 0 bytes left at offset ");
  }

  @Test
  void refusesANegativeLength() {
    WireWriter w = new WireWriter(16);
    w.u8(2);
    w.u8(1);
    w.uvarint(-5); // sender length, as unsigned: huge

    assertThatThrownBy(() -> WireCodec.decodeDeltas(w.toByteArray()))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("DELTAS: sender length 18446744073709551611 past end at offset 2");
  }

  @Test
  void refusesABackendIndexOutsideTheDictionary() {
    WireWriter w = deltasHeader();
    w.uvarint(1);
    w.string("web-1");
    w.uvarint(1);
    w.u8(1); // BIND
    w.string("k");
    w.uvarint(1); // index 1 of a one-entry dictionary

    assertThatThrownBy(() -> WireCodec.decodeDeltas(w.toByteArray()))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("DELTAS: entry 0 backend index 1 not in dictionary of 1 at offset");
  }

  @Test
  void refusesAnUnknownEntryKind() {
    WireWriter w = deltasHeader();
    w.uvarint(0);
    w.uvarint(1);
    w.u8(9);
    w.u8(0);
    w.u8(0);

    assertThatThrownBy(() -> WireCodec.decodeDeltas(w.toByteArray()))
        .isInstanceOf(WireFormatException.class).hasMessageStartingWith("DELTAS: entry 0 kind unknown 9");
  }

  @Test
  void refusesInvalidUtf8() {
    WireWriter w = new WireWriter(16);
    w.u8(2);
    w.u8(1);
    w.uvarint(2);
    w.u8(0xC3); // a lead byte followed by a non-continuation byte
    w.u8(0x41);

    assertThatThrownBy(() -> WireCodec.decodeDeltas(w.toByteArray()))
        .isInstanceOf(WireFormatException.class).hasMessage("DELTAS: sender is not valid UTF-8 at offset 3");
  }

  @Test
  void refusesAnOverlongVarint() {
    byte[] wire = new byte[16];
    wire[0] = 2;
    wire[1] = 1;
    Arrays.fill(wire, 2, 16, (byte) 0x80);

    assertThatThrownBy(() -> WireCodec.decodeDeltas(wire))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("DELTAS: sender varint longer than 10 bytes at offset 2");
  }

  @Test
  void refusesTrailingBytes() {
    byte[] wire = WireCodec.encodeDeltas(new DeltaBatch("a", NOW, 1, List.of()));
    byte[] longer = Arrays.copyOf(wire, wire.length + 1);

    assertThatThrownBy(() -> WireCodec.decodeDeltas(longer))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("DELTAS: message 1 trailing bytes at offset " + wire.length);
  }

  @Test
  void refusesAnUnknownStateCode() {
    byte[] wire = WireCodec.encodeStatus(status(NodeState.INIT));
    int at = 2 + 1 + "node-ä1".getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2; // name, priority
    wire[at] = 7;

    assertThatThrownBy(() -> WireCodec.decodeStatus(wire))
        .isInstanceOf(WireFormatException.class).hasMessageStartingWith("STATUS: state unknown code 7");
  }

  private static WireWriter deltasHeader() {
    WireWriter w = new WireWriter(32);
    w.u8(2);
    w.u8(1);
    w.string("a");
    w.zigzag(NOW);
    w.uvarint(1);
    return w;
  }

  /** The offset of the last {@code a} directly followed by {@code b}. */
  private static int indexOfLast(byte[] bytes, byte a, byte b) {
    for (int i = bytes.length - 2; i >= 0; i--) {
      if (bytes[i] == a && bytes[i + 1] == b) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  static BackendStates backendStates() {
    return new BackendStates("lb-ä1", NOW, List.of(
        new BackendStates.Entry("web1", AdminState.DRAIN, 7, "lb1"),
        new BackendStates.Entry("wéb-2", AdminState.MAINT, Long.MAX_VALUE, "lb2"),
        new BackendStates.Entry("web3", AdminState.ENABLED, 0, "")));
  }

  @Test
  void backendStatesRoundTrip() {
    byte[] wire = WireCodec.encodeBackendStates(backendStates());

    assertThat(WireCodec.typeOf(wire)).isEqualTo(MessageType.BACKEND_STATES);
    assertThat(WireCodec.decodeBackendStates(wire)).isEqualTo(backendStates());
    BackendStates empty = new BackendStates("a", -1, List.of());
    assertThat(WireCodec.decodeBackendStates(WireCodec.encodeBackendStates(empty))).isEqualTo(empty);
  }

  @Test
  void backendStatesRefuseAnUnknownAdminState() {
    byte[] wire = WireCodec.encodeBackendStates(new BackendStates("a", NOW,
        List.of(new BackendStates.Entry("w", AdminState.MAINT, 1, "o"))));
    int at = indexOfLast(wire, (byte) 1, (byte) 'w') + 2; // the state byte after the id "w"
    assertThat(wire[at]).isEqualTo((byte) 2);
    byte[] bad = wire.clone();
    bad[at] = 3;

    assertThatThrownBy(() -> WireCodec.decodeBackendStates(bad))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("BACKEND_STATES: entry 0 admin state unknown code 3 at offset " + (at + 1));
  }

  @Test
  void backendStatesRefuseTruncationTrailingBytesAndAbsurdCounts() {
    byte[] wire = WireCodec.encodeBackendStates(backendStates());
    for (int len = 0; len < wire.length; len++) {
      byte[] cut = Arrays.copyOf(wire, len);
      assertThatThrownBy(() -> WireCodec.decodeBackendStates(cut))
          .isInstanceOf(WireFormatException.class).hasMessageContaining(" at offset ");
    }
    byte[] longer = Arrays.copyOf(wire, wire.length + 1);
    assertThatThrownBy(() -> WireCodec.decodeBackendStates(longer))
        .isInstanceOf(WireFormatException.class)
        .hasMessage("BACKEND_STATES: message 1 trailing bytes at offset " + wire.length);

    WireWriter w = new WireWriter(16);
    w.u8(MessageType.BACKEND_STATES.code());
    w.u8(WireCodec.FORMAT_VERSION);
    w.string("a");
    w.zigzag(NOW);
    w.uvarint(1_000_000);
    byte[] absurd = w.toByteArray();
    assertThatThrownBy(() -> WireCodec.decodeBackendStates(absurd))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("entry count 1000000 exceeds the 0 bytes left");
  }
}
