package io.tandem.sticky;

import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;

/**
 * The local table's hash index: key to {@link StoredBinding}, with no node object per key (a
 * {@code ConcurrentHashMap} spends a 32-byte node and a String on each). Each binding costs its
 * {@link StoredBinding}, its key bytes and one slot reference (4 bytes at a load of 3/8 to 3/4).
 *
 * <p>The keys are spread over {@value #SEGMENTS} segments, each an open-addressing table (linear
 * probing, deletion by backward shift, so no tombstones) behind its own {@link StampedLock}.
 * Lookups are optimistic reads that take no lock unless a write to their segment intervenes;
 * writes lock one segment for a few probes, or, when it grows, for one copy of its slots. A probe
 * reads only the final key bytes and the volatile lastSeen, so a racing read is harmless until it
 * is validated. A walk copies one segment's slots under its read lock and visits them after
 * releasing it, so the caller's action never runs under a lock.
 *
 * <p>Changes of a key are compare-and-set on the stored binding's identity, as the table needs.
 */
final class BindingIndex {
  /** Enough that two event loops and the replicator rarely meet on one lock; small in an empty table. */
  private static final int SEGMENTS = 64;
  private static final int SEGMENT_SHIFT = Integer.SIZE - Integer.numberOfTrailingZeros(SEGMENTS);
  private static final int INITIAL_SLOTS = 16;

  private final Segment[] segments = new Segment[SEGMENTS];

  BindingIndex() {
    for (int i = 0; i < SEGMENTS; i++) {
      segments[i] = new Segment();
    }
  }

  StoredBinding get(String key) {
    int h = spread(key.hashCode());
    Segment s = segmentFor(h);
    long stamp = s.lock.tryOptimisticRead();
    if (stamp != 0) {
      StoredBinding found = s.find(key, h);
      if (s.lock.validate(stamp)) {
        return found;
      }
    }
    stamp = s.lock.readLock();
    try {
      return s.find(key, h);
    } finally {
      s.lock.unlockRead(stamp);
    }
  }

  /** Stores {@code next} as {@code key}'s binding if the key has none; false if it has one. */
  boolean putIfAbsent(String key, StoredBinding next) {
    int h = spread(key.hashCode());
    Segment s = segmentFor(h);
    long stamp = s.lock.writeLock();
    try {
      if (s.find(key, h) != null) {
        return false;
      }
      s.insert(next, h);
      return true;
    } finally {
      s.lock.unlockWrite(stamp);
    }
  }

  /** Puts {@code next} in place of {@code expected} as {@code key}'s binding, if that is still stored. */
  boolean replace(String key, StoredBinding expected, StoredBinding next) {
    int h = spread(key.hashCode());
    Segment s = segmentFor(h);
    long stamp = s.lock.writeLock();
    try {
      int slot = s.slotOf(expected, h);
      if (slot < 0) {
        return false;
      }
      s.slots[slot] = next;
      return true;
    } finally {
      s.lock.unlockWrite(stamp);
    }
  }

  /** Removes {@code key}'s binding; returns it, or null if there was none. */
  StoredBinding remove(String key) {
    int h = spread(key.hashCode());
    Segment s = segmentFor(h);
    long stamp = s.lock.writeLock();
    try {
      int slot = s.slotOf(key, h);
      if (slot < 0) {
        return null;
      }
      StoredBinding removed = s.slots[slot];
      s.delete(slot);
      return removed;
    } finally {
      s.lock.unlockWrite(stamp);
    }
  }

  /** Removes {@code expected}, if it is still {@code key}'s binding. */
  boolean remove(String key, StoredBinding expected) {
    int h = spread(key.hashCode());
    Segment s = segmentFor(h);
    long stamp = s.lock.writeLock();
    try {
      int slot = s.slotOf(expected, h);
      if (slot < 0) {
        return false;
      }
      s.delete(slot);
      return true;
    } finally {
      s.lock.unlockWrite(stamp);
    }
  }

  int size() {
    int n = 0;
    for (Segment s : segments) {
      n += s.count;
    }
    return n;
  }

  /** Visits every stored binding; consistent per segment, weakly across segments. */
  void forEach(Consumer<StoredBinding> action) {
    for (Segment s : segments) {
      StoredBinding[] copy;
      long stamp = s.lock.readLock();
      try {
        copy = s.count == 0 ? null : s.slots.clone();
      } finally {
        s.lock.unlockRead(stamp);
      }
      if (copy != null) {
        for (StoredBinding b : copy) {
          if (b != null) {
            action.accept(b);
          }
        }
      }
    }
  }

  /** Murmur3's finaliser: String hashes of similar keys differ in few bits. */
  private static int spread(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  /** The top bits pick the segment, the low bits the slot, so the two do not correlate. */
  private Segment segmentFor(int h) {
    return segments[h >>> SEGMENT_SHIFT];
  }

  private static final class Segment {
    final StampedLock lock = new StampedLock();
    /** Written under the write lock; read also optimistically, hence the bounded probes. */
    StoredBinding[] slots = new StoredBinding[INITIAL_SLOTS];
    volatile int count;

    StoredBinding find(String key, int h) {
      StoredBinding[] t = slots;
      int mask = t.length - 1;
      for (int i = h & mask, probes = 0; probes < t.length; i = (i + 1) & mask, probes++) {
        StoredBinding b = t[i];
        if (b == null) {
          return null;
        }
        if (b.hasKey(key)) {
          return b;
        }
      }
      return null;
    }

    /** Under the lock. */
    int slotOf(String key, int h) {
      int mask = slots.length - 1;
      for (int i = h & mask; slots[i] != null; i = (i + 1) & mask) {
        if (slots[i].hasKey(key)) {
          return i;
        }
      }
      return -1;
    }

    /** Under the lock; a key is stored once, so it is found by identity along its probe run. */
    int slotOf(StoredBinding b, int h) {
      int mask = slots.length - 1;
      for (int i = h & mask; slots[i] != null; i = (i + 1) & mask) {
        if (slots[i] == b) {
          return i;
        }
      }
      return -1;
    }

    /** Under the write lock, for a key not stored yet. */
    void insert(StoredBinding b, int h) {
      if ((count + 1) * 4L > slots.length * 3L) {
        grow();
      }
      place(slots, b, h);
      count++; // only writers write it, under the lock
    }

    /** Under the write lock: empties {@code slot} and shifts back the bindings whose run crossed it. */
    void delete(int slot) {
      StoredBinding[] t = slots;
      int mask = t.length - 1;
      int hole = slot;
      t[hole] = null;
      for (int i = (hole + 1) & mask; t[i] != null; i = (i + 1) & mask) {
        int home = spread(t[i].keyHash()) & mask;
        // It may fill the hole unless its home lies cyclically in (hole, i].
        boolean stays = hole <= i ? hole < home && home <= i : hole < home || home <= i;
        if (!stays) {
          t[hole] = t[i];
          t[i] = null;
          hole = i;
        }
      }
      count--;
    }

    private void grow() {
      StoredBinding[] bigger = new StoredBinding[slots.length * 2];
      for (StoredBinding b : slots) {
        if (b != null) {
          place(bigger, b, spread(b.keyHash()));
        }
      }
      slots = bigger; // an optimistic reader that sees it half filled fails validation and retries
    }

    private static void place(StoredBinding[] t, StoredBinding b, int h) {
      int mask = t.length - 1;
      int i = h & mask;
      while (t[i] != null) {
        i = (i + 1) & mask;
      }
      t[i] = b;
    }
  }
}
