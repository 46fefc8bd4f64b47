package io.tandem.cluster;

import io.tandem.sticky.Binding;
import io.tandem.sticky.StickyTable;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The state-transfer stream (layout at {@link WireCodec#writeSnapshot}): length-prefixed frames of
 * {@link BindingBlock}s, so the table is streamed a frame at a time, never held whole in memory,
 * and each frame is decoded by the same checked reader as a message. A frame's length is bounded,
 * so a corrupt length cannot make the reader allocate more than {@link #MAX_FRAME_BYTES}.
 */
final class SnapshotStream {
  static final int FRAME_BINDINGS = 4096;
  static final int MAX_FRAME_BYTES = 16 << 20;
  private static final int BUFFER = 1 << 16;

  private SnapshotStream() {}

  static long write(StickyTable table, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, BUFFER));
    data.writeByte(MessageType.SNAPSHOT.code());
    data.writeByte(WireCodec.FORMAT_VERSION);
    FrameWriter frames = new FrameWriter(data);
    try {
      table.forEach(frames);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    frames.flush();
    data.writeInt(0);
    data.writeLong(frames.total);
    data.flush();
    return frames.total;
  }

  static long read(InputStream in, Consumer<Binding> sink) throws IOException {
    DataInputStream data = new DataInputStream(new BufferedInputStream(in, BUFFER));
    long offset = 0;
    try {
      int type = data.readUnsignedByte();
      if (type != MessageType.SNAPSHOT.code()) {
        throw new WireFormatException("SNAPSHOT: not a snapshot (type " + type + ") at offset 0");
      }
      int version = data.readUnsignedByte();
      if (version != WireCodec.FORMAT_VERSION) {
        throw new WireFormatException("SNAPSHOT: unknown format version " + version + " at offset 1");
      }
      offset = 2;
      long total = 0;
      byte[] frame = new byte[0];
      for (int index = 0; ; index++) {
        int length = data.readInt();
        if (length == 0) {
          long declared = data.readLong();
          if (declared != total) {
            throw new WireFormatException("SNAPSHOT: declares " + declared + " bindings, carried "
                + total + " at offset " + (offset + 4));
          }
          return total;
        }
        if (length < 0 || length > MAX_FRAME_BYTES) {
          throw new WireFormatException("SNAPSHOT: frame " + index + " length " + length
              + " out of range at offset " + offset);
        }
        if (frame.length < length) {
          frame = new byte[Math.max(length, frame.length * 2)];
        }
        offset += 4;
        if (data.readNBytes(frame, 0, length) < length) {
          throw new WireFormatException("SNAPSHOT: frame " + index + " length " + length
              + " past end at offset " + offset);
        }
        WireReader r = new WireReader(frame, 0, length, "SNAPSHOT frame " + index);
        long base = r.zigzag("baseMillis", -1);
        total += BindingBlock.read(r, base, sink);
        r.end();
        offset += length;
      }
    } catch (EOFException e) {
      throw new WireFormatException("SNAPSHOT: truncated after offset " + offset);
    }
  }

  /** Collects bindings from {@code forEach} and writes a frame each {@link #FRAME_BINDINGS}. */
  private static final class FrameWriter implements Consumer<Binding> {
    private final DataOutputStream out;
    private final List<Binding> pending = new ArrayList<>(FRAME_BINDINGS);
    private final WireWriter frame = new WireWriter(FRAME_BINDINGS * 48);
    long total;

    FrameWriter(DataOutputStream out) {
      this.out = out;
    }

    @Override
    public void accept(Binding b) {
      pending.add(b);
      if (pending.size() == FRAME_BINDINGS) {
        try {
          flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e); // forEach takes no checked exception; unwrapped above
        }
      }
    }

    void flush() throws IOException {
      if (pending.isEmpty()) {
        return;
      }
      frame.reset();
      long base = pending.get(0).lastSeenMillis();
      frame.zigzag(base);
      BindingBlock.write(frame, base, pending);
      out.writeInt(frame.size());
      frame.writeTo(out);
      total += pending.size();
      pending.clear();
    }
  }
}
