package io.tandem.sticky;

import java.nio.charset.StandardCharsets;

/**
 * One binding as the local table holds it: 40 bytes with compressed oops (12 header, 4 key
 * reference, 4 backend reference, 8 version, 8 lastSeen, 1 flag, 3 padding), plus the key's bytes.
 *
 * <p>The key is kept as its characters in a {@code byte[]}, not as a {@code String}: a String would
 * add a 24-byte object around the same array. Keys are cookie values and addresses, so every
 * character fits one byte (Latin-1); a key with a wider character takes two bytes per character
 * and sets {@code wide}. The index hashes the bytes exactly as {@link String#hashCode} hashes the
 * characters, so a lookup hashes the caller's String and compares characters without allocating.
 *
 * <p>Immutable but for {@code lastSeen}: a change of backend or version is a new instance (sharing
 * the key's bytes) put in place by identity, so a reader never sees half of a change and a touch
 * allocates nothing.
 */
final class StoredBinding {
  private final byte[] key;
  /** Interned by the table, so shared by every binding to the same backend. */
  final String backendId;
  final long version;
  volatile long lastSeen;
  private final boolean wide;

  private StoredBinding(byte[] key, boolean wide, String backendId, long version, long lastSeen) {
    this.key = key;
    this.wide = wide;
    this.backendId = backendId;
    this.version = version;
    this.lastSeen = lastSeen;
  }

  static StoredBinding of(String key, String backendId, long version, long lastSeen) {
    int n = key.length();
    boolean latin1 = true;
    for (int i = 0; i < n && latin1; i++) {
      latin1 = key.charAt(i) <= 0xff;
    }
    if (latin1) {
      return new StoredBinding(key.getBytes(StandardCharsets.ISO_8859_1), false, backendId, version, lastSeen);
    }
    byte[] chars = new byte[2 * n];
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      chars[2 * i] = (byte) (c >>> 8);
      chars[2 * i + 1] = (byte) c;
    }
    return new StoredBinding(chars, true, backendId, version, lastSeen);
  }

  /** The same key with another backend, version and lastSeen (the key's bytes are shared). */
  StoredBinding with(String backendId, long version, long lastSeen) {
    return new StoredBinding(key, wide, backendId, version, lastSeen);
  }

  /** A new String each call: for the rare paths that walk the table, not for lookups. */
  String key() {
    if (!wide) {
      return new String(key, StandardCharsets.ISO_8859_1);
    }
    char[] chars = new char[key.length / 2];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = charAt(i);
    }
    return new String(chars);
  }

  Binding toBinding(String key) {
    return new Binding(key, backendId, version, lastSeen);
  }

  boolean hasKey(String other) {
    int n = other.length();
    if (n != length()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (charAt(i) != other.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** {@code key().hashCode()}, without building the String: the index rehashes with it when it grows. */
  int keyHash() {
    int h = 0;
    for (int i = 0, n = length(); i < n; i++) {
      h = 31 * h + charAt(i);
    }
    return h;
  }

  private int length() {
    return wide ? key.length / 2 : key.length;
  }

  private char charAt(int i) {
    return wide ? (char) ((key[2 * i] & 0xff) << 8 | (key[2 * i + 1] & 0xff)) : (char) (key[i] & 0xff);
  }
}
