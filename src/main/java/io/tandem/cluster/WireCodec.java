package io.tandem.cluster;

import io.tandem.backend.AdminState;
import io.tandem.sticky.Binding;
import io.tandem.sticky.StickyTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The binary format of every cluster message; never Java serialization. A message is
 * {@code u8 type, u8 format version (1), fields}. Primitives: {@code uv} = unsigned LEB128 varint,
 * {@code zz} = zigzag varint (signed), {@code str} = uv byte length + UTF-8, {@code ostr} = uv
 * (length + 1, or 0 for null) + UTF-8. Layouts (version 1):
 *
 * <pre>
 * STATUS  (1): str name, zz priority, u8 state (0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT, 4 DRAINING),
 *              zz epoch, zz maxEpochSeen, u8 flags (1 healthy, 2 inSync, 4 eligible, 8 vipHeld,
 *              16 witness: added without a version bump, as a balancer's status never sets it and
 *              only a cluster with a witness configured sees it),
 *              zz usableBackends, ostr probe, ostr reason, zz pid, zz sentAtMillis
 * DELTAS  (2): str sender, zz sentAtMillis, uv sequence, dictionary, uv entryCount, entries:
 *              u8 1 BIND   str key, uv backendIndex, zz versionDelta, zz (sentAtMillis - lastSeen)
 *              u8 2 REMOVE str key, zz versionDelta
 *              u8 3 TOUCH  str key, zz (sentAtMillis - lastSeen)
 * SYNC    (3): str sender, zz sentAtMillis, uv chunkIndex, u8 last (0|1), dictionary,
 *              uv count, count x (str key, uv backendIndex, zz versionDelta, zz (sentAtMillis - lastSeen))
 * FAILOVER_REQUEST (4): str id, str asker, u8 kind (1 FAILOVER, 2 MAINTENANCE_ON, 3 MAINTENANCE_OFF),
 *              ostr node, zz timeoutMillis
 * FAILOVER_ACK (5): str requestId, str sender, u8 outcome (1 DONE, 2 REFUSED, 3 ACCEPTED, 4 READY,
 *              5 ABORTED), ostr target, zz timeoutMillis, ostr reason
 * BACKEND_STATES (6): str sender, zz sentAtMillis, uv count,
 *              count x (str backendId, u8 adminState (0 ENABLED, 1 DRAIN, 2 MAINT), uv version, str origin)
 * dictionary: uv size, size x str backendId
 * versionDelta: the version minus the previous BIND/REMOVE version in the message (first: minus 0)
 * </pre>
 *
 * The snapshot stream of state transfer is described at {@link #writeSnapshot}. Decoding checks
 * every length and count against what is left and throws {@link WireFormatException} on anything
 * malformed, with trailing bytes counting as malformed.
 */
public final class WireCodec {
  public static final int FORMAT_VERSION = 1;

  private static final int BIND = 1;
  private static final int REMOVE = 2;
  private static final int TOUCH = 3;
  /** kind byte, key length byte, one more field byte. */
  private static final int MIN_DELTA_BYTES = 3;
  /** Wire codes by position: explicit, so reordering the enum cannot change the format. */
  private static final List<NodeState> STATES = List.of(
      NodeState.INIT, NodeState.BACKUP, NodeState.MASTER, NodeState.FAULT, NodeState.DRAINING);
  private static final int KNOWN_FLAGS = 0x1F;
  /** Admin-state wire codes by position, explicit like {@link #STATES}. */
  private static final List<AdminState> ADMIN_STATES = List.of(AdminState.ENABLED, AdminState.DRAIN, AdminState.MAINT);
  /** id length byte, state byte, version byte, origin length byte. */
  private static final int MIN_ADMIN_ENTRY_BYTES = 4;

  private WireCodec() {}

  /** The type of a message, after checking its header; the dispatcher's first step. */
  public static MessageType typeOf(byte[] message) {
    WireReader r = new WireReader(message, 0, message.length, "message");
    int code = r.u8("type", -1);
    MessageType type = MessageType.ofCode(code);
    if (type == null || type == MessageType.SNAPSHOT) {
      throw new WireFormatException("message: unknown type " + code + " at offset 0");
    }
    int version = r.u8("format version", -1);
    if (version != FORMAT_VERSION) {
      throw new WireFormatException(type + ": unknown format version " + version + " at offset 1");
    }
    return type;
  }

  public static byte[] encodeStatus(NodeStatus s) {
    WireWriter w = header(MessageType.STATUS, 64);
    w.string(s.name());
    w.zigzag(s.priority());
    w.u8(stateCode(s.state()));
    w.zigzag(s.epoch());
    w.zigzag(s.maxEpochSeen());
    w.u8((s.healthy() ? 1 : 0) | (s.inSync() ? 2 : 0) | (s.eligible() ? 4 : 0) | (s.vipHeld() ? 8 : 0)
        | (s.witness() ? 16 : 0));
    w.zigzag(s.usableBackends());
    w.optString(s.probe());
    w.optString(s.reason());
    w.zigzag(s.pid());
    w.zigzag(s.sentAtMillis());
    return w.toByteArray();
  }

  public static NodeStatus decodeStatus(byte[] message) {
    WireReader r = body(message, MessageType.STATUS);
    String name = r.string("name", -1);
    int priority = r.zigzagInt("priority", -1);
    int code = r.u8("state", -1);
    if (code >= STATES.size()) {
      throw r.fail("state", -1, "unknown code " + code);
    }
    long epoch = r.zigzag("epoch", -1);
    long maxEpochSeen = r.zigzag("maxEpochSeen", -1);
    int flags = r.u8("flags", -1);
    if ((flags & ~KNOWN_FLAGS) != 0) {
      throw r.fail("flags", -1, "unknown bits 0x" + Integer.toHexString(flags & ~KNOWN_FLAGS));
    }
    int usable = r.zigzagInt("usableBackends", -1);
    String probe = r.optString("probe", -1);
    String reason = r.optString("reason", -1);
    long pid = r.zigzag("pid", -1);
    long sentAt = r.zigzag("sentAtMillis", -1);
    r.end();
    return new NodeStatus(name, priority, STATES.get(code), epoch, maxEpochSeen, (flags & 1) != 0,
        (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0, usable, probe, reason, pid, sentAt,
        (flags & 16) != 0);
  }

  public static byte[] encodeDeltas(DeltaBatch batch) {
    List<Delta> entries = batch.entries();
    WireWriter w = header(MessageType.DELTAS, 32 + entries.size() * 48);
    w.string(batch.sender());
    long base = batch.sentAtMillis();
    w.zigzag(base);
    w.uvarint(batch.sequence());
    BackendDictionary dict = new BackendDictionary();
    for (Delta d : entries) {
      if (d instanceof Delta.Bind b) {
        dict.add(b.binding().backendId());
      }
    }
    dict.write(w);
    w.uvarint(entries.size());
    long prevVersion = 0;
    for (Delta d : entries) {
      if (d instanceof Delta.Bind b) {
        w.u8(BIND);
        BindingBlock.writeBinding(w, dict, base, prevVersion, b.binding());
        prevVersion = b.binding().version();
      } else if (d instanceof Delta.Remove rm) {
        w.u8(REMOVE);
        w.string(rm.key());
        w.zigzag(rm.version() - prevVersion);
        prevVersion = rm.version();
      } else {
        Delta.Touch t = (Delta.Touch) d;
        w.u8(TOUCH);
        w.string(t.key());
        w.zigzag(base - t.lastSeenMillis());
      }
    }
    return w.toByteArray();
  }

  public static DeltaBatch decodeDeltas(byte[] message) {
    WireReader r = body(message, MessageType.DELTAS);
    String sender = r.string("sender", -1);
    long base = r.zigzag("sentAtMillis", -1);
    long sequence = r.uvarint("sequence", -1);
    String[] ids = BackendDictionary.read(r);
    int n = r.count("entry count", -1, MIN_DELTA_BYTES);
    List<Delta> entries = new ArrayList<>(n);
    long prevVersion = 0;
    for (int i = 0; i < n; i++) {
      int kind = r.u8("kind", i);
      switch (kind) {
        case BIND -> {
          Binding b = BindingBlock.readBinding(r, ids, base, prevVersion, i);
          prevVersion = b.version();
          entries.add(new Delta.Bind(b));
        }
        case REMOVE -> {
          String key = r.string("key", i);
          prevVersion += r.zigzag("version", i);
          entries.add(new Delta.Remove(key, prevVersion));
        }
        case TOUCH -> {
          String key = r.string("key", i);
          entries.add(new Delta.Touch(key, base - r.zigzag("lastSeen", i)));
        }
        default -> throw r.fail("kind", i, "unknown " + kind);
      }
    }
    r.end();
    return new DeltaBatch(sender, base, sequence, entries);
  }

  public static byte[] encodeSync(SyncChunk chunk) {
    WireWriter w = header(MessageType.SYNC, 32 + chunk.bindings().size() * 48);
    w.string(chunk.sender());
    w.zigzag(chunk.sentAtMillis());
    w.uvarint(chunk.index());
    w.u8(chunk.last() ? 1 : 0);
    BindingBlock.write(w, chunk.sentAtMillis(), chunk.bindings());
    return w.toByteArray();
  }

  public static SyncChunk decodeSync(byte[] message) {
    WireReader r = body(message, MessageType.SYNC);
    String sender = r.string("sender", -1);
    long base = r.zigzag("sentAtMillis", -1);
    long index = r.uvarint("chunk index", -1);
    if (index < 0 || index > Integer.MAX_VALUE) {
      throw r.fail("chunk index", -1, Long.toUnsignedString(index) + " out of range");
    }
    int last = r.u8("last flag", -1);
    if (last > 1) {
      throw r.fail("last flag", -1, "not 0 or 1: " + last);
    }
    List<Binding> bindings = new ArrayList<>();
    BindingBlock.read(r, base, bindings::add);
    r.end();
    return new SyncChunk(sender, base, (int) index, last == 1, bindings);
  }

  public static byte[] encodeBackendStates(BackendStates states) {
    WireWriter w = header(MessageType.BACKEND_STATES, 32 + states.entries().size() * 32);
    w.string(states.sender());
    w.zigzag(states.sentAtMillis());
    w.uvarint(states.entries().size());
    for (BackendStates.Entry e : states.entries()) {
      if (e.version() < 0) {
        throw new IllegalArgumentException("version: " + e.version() + " (expected: >= 0)");
      }
      w.string(e.backendId());
      w.u8(ADMIN_STATES.indexOf(e.state()));
      w.uvarint(e.version());
      w.string(e.origin());
    }
    return w.toByteArray();
  }

  public static BackendStates decodeBackendStates(byte[] message) {
    WireReader r = body(message, MessageType.BACKEND_STATES);
    String sender = r.string("sender", -1);
    long sentAt = r.zigzag("sentAtMillis", -1);
    int n = r.count("entry count", -1, MIN_ADMIN_ENTRY_BYTES);
    List<BackendStates.Entry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String id = r.string("backend id", i);
      int code = r.u8("admin state", i);
      if (code >= ADMIN_STATES.size()) {
        throw r.fail("admin state", i, "unknown code " + code);
      }
      long version = r.uvarint("version", i);
      if (version < 0) {
        throw r.fail("version", i, Long.toUnsignedString(version) + " out of range");
      }
      String origin = r.string("origin", i);
      entries.add(new BackendStates.Entry(id, ADMIN_STATES.get(code), version, origin));
    }
    r.end();
    return new BackendStates(sender, sentAt, entries);
  }

  public static byte[] encodeRoleRequest(RoleRequest q) {
    WireWriter w = header(MessageType.FAILOVER_REQUEST, 64);
    w.string(q.id());
    w.string(q.asker());
    w.u8(q.kind().code);
    w.optString(q.node());
    w.zigzag(q.timeoutMillis());
    return w.toByteArray();
  }

  public static RoleRequest decodeRoleRequest(byte[] message) {
    WireReader r = body(message, MessageType.FAILOVER_REQUEST);
    String id = r.string("id", -1);
    String asker = r.string("asker", -1);
    int code = r.u8("kind", -1);
    RoleRequest.Kind kind = RoleRequest.Kind.ofCode(code);
    if (kind == null) {
      throw r.fail("kind", -1, "unknown code " + code);
    }
    String node = r.optString("node", -1);
    long timeout = r.zigzag("timeoutMillis", -1);
    if (timeout < 0) {
      throw r.fail("timeoutMillis", -1, "negative: " + timeout);
    }
    r.end();
    return new RoleRequest(id, asker, kind, node, timeout);
  }

  public static byte[] encodeRoleAck(RoleAck a) {
    WireWriter w = header(MessageType.FAILOVER_ACK, 64);
    w.string(a.requestId());
    w.string(a.sender());
    w.u8(a.outcome().code);
    w.optString(a.target());
    w.zigzag(a.timeoutMillis());
    w.optString(a.reason());
    return w.toByteArray();
  }

  public static RoleAck decodeRoleAck(byte[] message) {
    WireReader r = body(message, MessageType.FAILOVER_ACK);
    String id = r.string("requestId", -1);
    String sender = r.string("sender", -1);
    int code = r.u8("outcome", -1);
    RoleAck.Outcome outcome = RoleAck.Outcome.ofCode(code);
    if (outcome == null) {
      throw r.fail("outcome", -1, "unknown code " + code);
    }
    String target = r.optString("target", -1);
    long timeout = r.zigzag("timeoutMillis", -1);
    if (timeout < 0) {
      throw r.fail("timeoutMillis", -1, "negative: " + timeout);
    }
    String reason = r.optString("reason", -1);
    r.end();
    return new RoleAck(id, sender, outcome, target, timeout, reason);
  }

  /**
   * Streams every live binding of {@code table} to {@code out} for state transfer, in frames of a
   * few thousand bindings: {@code u8 16, u8 version}, then per frame {@code i32 length (> 0),
   * zz baseMillis, binding block as in SYNC}, then {@code i32 0, i64 total count}. The stream is
   * buffered here; {@code out} is flushed, not closed. Returns the number of bindings written.
   */
  public static long writeSnapshot(StickyTable table, OutputStream out) throws IOException {
    return SnapshotStream.write(table, out);
  }

  /**
   * Reads a stream written by {@link #writeSnapshot}, handing each binding to {@code sink} as it is
   * decoded; returns how many. A malformed or truncated stream throws {@link WireFormatException}
   * (the bindings before the fault have been handed over).
   */
  public static long readSnapshot(InputStream in, Consumer<Binding> sink) throws IOException {
    return SnapshotStream.read(in, sink);
  }

  private static WireWriter header(MessageType type, int capacity) {
    WireWriter w = new WireWriter(capacity);
    w.u8(type.code());
    w.u8(FORMAT_VERSION);
    return w;
  }

  private static WireReader body(byte[] message, MessageType expected) {
    MessageType type = typeOf(message);
    if (type != expected) {
      throw new WireFormatException(expected + ": got a " + type + " message at offset 0");
    }
    return new WireReader(message, 2, message.length - 2, expected.name());
  }

  private static int stateCode(NodeState state) {
    int code = STATES.indexOf(state);
    if (code < 0) {
      throw new IllegalArgumentException("state: " + state + " (expected: one of " + STATES + ")");
    }
    return code;
  }
}
