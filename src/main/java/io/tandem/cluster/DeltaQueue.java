package io.tandem.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Changes waiting to be sent. Many event loops append at once (a lock-free queue, two atomic
 * counters, no lock); one sender at a time takes batches off the front, so changes leave in the
 * order they were appended. Touches are kept apart, one slot per key holding its latest time, since
 * only the last one matters and they are sent far less often.
 */
final class DeltaQueue {
  private final ConcurrentLinkedQueue<Delta> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger entries = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final ConcurrentHashMap<String, Long> touches = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final int maxBytes;

  DeltaQueue(int maxEntries, int maxBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  /** Appends a change; true when a full batch is waiting, so the caller may send early. */
  boolean add(Delta d) {
    queue.offer(d);
    int n = entries.incrementAndGet();
    long b = bytes.addAndGet(estimate(d));
    return n >= maxEntries || b >= maxBytes;
  }

  int size() {
    return entries.get();
  }

  /** Takes the oldest changes, up to one batch's worth; empty when none wait. */
  List<Delta> nextBatch() {
    List<Delta> batch = new ArrayList<>(Math.min(maxEntries, Math.max(16, entries.get())));
    long taken = 0;
    Delta d;
    while (batch.size() < maxEntries && taken < maxBytes && (d = queue.poll()) != null) {
      batch.add(d);
      int size = estimate(d);
      taken += size;
      entries.decrementAndGet();
      bytes.addAndGet(-size);
    }
    return batch;
  }

  void touch(String key, long atMillis) {
    touches.merge(key, atMillis, Math::max);
  }

  /** Removes and returns the touches recorded so far: each key once, at its latest time. */
  List<Delta> drainTouches() {
    List<Delta> out = new ArrayList<>();
    for (Map.Entry<String, Long> e : touches.entrySet()) {
      // Conditional remove: a touch racing this drain stays for the next one rather than vanish.
      if (touches.remove(e.getKey(), e.getValue())) {
        out.add(new Delta.Touch(e.getKey(), e.getValue()));
      }
    }
    return out;
  }

  /** The encoded size, roughly: key bytes (ASCII) plus kind, varints and a dictionary index. */
  static int estimate(Delta d) {
    return d.key().length() + (d instanceof Delta.Bind ? 12 : 8);
  }
}
