package io.tandem.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer with the primitives of the wire format: unsigned LEB128 varints, zigzag
 * varints for values that may be negative, and length-prefixed UTF-8 strings. Not thread-safe.
 */
final class WireWriter {
  private byte[] buf;
  private int pos;

  WireWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  void u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
  }

  /** Unsigned LEB128: 7 bits a byte, low bits first; 1 byte below 128, at most 10. */
  void uvarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  /** Small magnitudes of either sign stay short: 0, -1, 1, -2 ... map to 0, 1, 2, 3 ... */
  void zigzag(long v) {
    uvarint((v << 1) ^ (v >> 63));
  }

  void string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > WireReader.MAX_STRING_BYTES) {
      throw new IllegalArgumentException("string of " + b.length + " bytes (expected: <= "
          + WireReader.MAX_STRING_BYTES + ")");
    }
    uvarint(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  /** A string that may be null: length + 1, or 0 for null. */
  void optString(String s) {
    if (s == null) {
      u8(0);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > WireReader.MAX_STRING_BYTES) {
      throw new IllegalArgumentException("string of " + b.length + " bytes (expected: <= "
          + WireReader.MAX_STRING_BYTES + ")");
    }
    uvarint(b.length + 1L);
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  int size() {
    return pos;
  }

  void reset() {
    pos = 0;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, pos);
  }

  private void ensure(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }
}
