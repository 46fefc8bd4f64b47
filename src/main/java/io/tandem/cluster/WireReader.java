package io.tandem.cluster;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads the primitives of {@link WireWriter} from a byte array, checking every length and count
 * against the bytes that remain before allocating anything, so hostile or truncated input ends in
 * a {@link WireFormatException} (naming the part and the offset), never an OOM or an index error.
 * Field names are passed as constants plus an entry index and only joined on failure, to keep the
 * happy path free of string building. Not thread-safe.
 */
final class WireReader {
  /** Far above any key a bounded HTTP header can carry, far below what could hurt. */
  static final int MAX_STRING_BYTES = 1 << 20;

  private final byte[] buf;
  private final int end;
  private final String what;
  private int pos;
  private CharsetDecoder utf8;

  WireReader(byte[] buf, int offset, int length, String what) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
    this.what = what;
  }

  int u8(String field, int entry) {
    if (pos >= end) {
      throw fail(field, entry, "past end");
    }
    return buf[pos++] & 0xFF;
  }

  long uvarint(String field, int entry) {
    int start = pos;
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        pos = start;
        throw fail(field, entry, "varint past end");
      }
      int b = buf[pos++];
      if (shift == 63 && (b & 0x7E) != 0) {
        pos = start;
        throw fail(field, entry, "varint overflows 64 bits");
      }
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    pos = start;
    throw fail(field, entry, "varint longer than 10 bytes");
  }

  long zigzag(String field, int entry) {
    long v = uvarint(field, entry);
    return (v >>> 1) ^ -(v & 1);
  }

  int zigzagInt(String field, int entry) {
    int start = pos;
    long v = zigzag(field, entry);
    if (v != (int) v) {
      pos = start;
      throw fail(field, entry, v + " out of int range");
    }
    return (int) v;
  }

  /**
   * A count of items of at least {@code minBytesEach} bytes each: a count that cannot fit in the
   * bytes left is rejected before anyone allocates for it.
   */
  int count(String field, int entry, int minBytesEach) {
    int start = pos;
    long n = uvarint(field, entry);
    int left = end - pos;
    if (n < 0 || n > left / minBytesEach) {
      pos = start;
      throw fail(field, entry, (n < 0 ? Long.toUnsignedString(n) : n) + " exceeds the " + left
          + " bytes left");
    }
    return (int) n;
  }

  String string(String field, int entry) {
    int start = pos;
    long len = uvarint(field, entry);
    return text(field, entry, start, len);
  }

  String optString(String field, int entry) {
    int start = pos;
    long len = uvarint(field, entry);
    return len == 0 ? null : text(field, entry, start, len - 1);
  }

  /** Fails when bytes remain: a message must be exactly as long as its fields. */
  void end() {
    if (pos != end) {
      throw fail("message", -1, (end - pos) + " trailing bytes");
    }
  }

  int offset() {
    return pos;
  }

  WireFormatException fail(String field, int entry, String problem) {
    String part = entry < 0 ? field : "entry " + entry + " " + field;
    return new WireFormatException(what + ": " + part + " " + problem + " at offset " + pos);
  }

  private String text(String field, int entry, int start, long len) {
    if (len < 0 || len > end - pos) {
      pos = start;
      throw fail(field, entry, "length " + (len < 0 ? Long.toUnsignedString(len) : len) + " past end");
    }
    if (len > MAX_STRING_BYTES) {
      pos = start;
      throw fail(field, entry, "length " + len + " too long");
    }
    int n = (int) len;
    int from = pos;
    if (ascii(from, n)) {
      pos += n;
      // ISO-8859-1 of pure ASCII is the same text, decoded without validation
      return new String(buf, from, n, StandardCharsets.ISO_8859_1);
    }
    if (utf8 == null) {
      utf8 = StandardCharsets.UTF_8.newDecoder(); // reports malformed input instead of replacing it
    }
    try {
      String s = utf8.decode(ByteBuffer.wrap(buf, from, n)).toString();
      pos += n;
      return s;
    } catch (CharacterCodingException e) {
      throw fail(field, entry, "is not valid UTF-8");
    }
  }

  private boolean ascii(int from, int n) {
    for (int i = from, to = from + n; i < to; i++) {
      if (buf[i] < 0) {
        return false;
      }
    }
    return true;
  }
}
