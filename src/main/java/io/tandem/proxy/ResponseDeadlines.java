package io.tandem.proxy;

import io.vertx.core.Vertx;
import java.util.function.LongSupplier;

/**
 * The response timeouts of one event loop's exchanges. They all share one duration, so they fall
 * due in the order they were started: a list in that order, and one Vert.x timer for its head,
 * take the place of a timer per request (whose scheduling and cancelling went through a shared
 * map and a priority queue on every request). A finished exchange unlinks itself in O(1); the
 * timer, when it fires, runs what is due and re-arms for the next head.
 *
 * <p>Not thread-safe: used only on the event loop that created it.
 */
final class ResponseDeadlines {
  private final Vertx vertx;
  private final long timeoutNanos;
  private final LongSupplier nanoTime;
  private Entry head;
  private Entry tail;
  private boolean armed;

  ResponseDeadlines(Vertx vertx, long timeoutMillis, LongSupplier nanoTime) {
    this.vertx = vertx;
    this.timeoutNanos = timeoutMillis * 1_000_000;
    this.nanoTime = nanoTime;
  }

  /** Runs {@code onExpiry} once the timeout has passed, unless the returned entry is cancelled first. */
  Entry start(Runnable onExpiry) {
    Entry e = new Entry(nanoTime.getAsLong() + timeoutNanos, onExpiry);
    if (tail == null) {
      head = e;
    } else {
      tail.next = e;
      e.prev = tail;
    }
    tail = e;
    if (!armed) {
      arm(e.due);
    }
    return e;
  }

  /** Forgets an entry (its exchange got its answer or ended); harmless when already run or cancelled. */
  void cancel(Entry e) {
    if (!e.linked) {
      return;
    }
    unlink(e);
  }

  private void unlink(Entry e) {
    e.linked = false;
    if (e.prev == null) {
      head = e.next;
    } else {
      e.prev.next = e.next;
    }
    if (e.next == null) {
      tail = e.prev;
    } else {
      e.next.prev = e.prev;
    }
    e.prev = null;
    e.next = null;
  }

  private void arm(long due) {
    armed = true;
    long millis = Math.max(1, (due - nanoTime.getAsLong() + 999_999) / 1_000_000);
    vertx.setTimer(millis, t -> fire());
  }

  private void fire() {
    armed = false;
    long now = nanoTime.getAsLong();
    try {
      while (head != null && head.due - now <= 0) {
        Entry e = head;
        unlink(e);
        e.onExpiry.run();
      }
    } finally {
      // Even after a failing expiry, the exchanges behind it keep their timeout.
      if (head != null && !armed) {
        arm(head.due);
      }
    }
  }

  /** One exchange's place in the list. */
  static final class Entry {
    private final long due;
    private final Runnable onExpiry;
    private Entry prev;
    private Entry next;
    private boolean linked = true;

    private Entry(long due, Runnable onExpiry) {
      this.due = due;
      this.onExpiry = onExpiry;
    }
  }
}
