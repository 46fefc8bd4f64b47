package io.tandem.cluster;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One thread that hands messages to JGroups in the order they were given. JChannel.send may block
 * (MFC waits for credits from a slow member, the transport for a full socket): callers, event loops
 * among them, only enqueue. A full queue means a member has not kept up for thousands of messages;
 * the message is dropped and counted rather than blocking the caller, and the view change that
 * follows (or the merge's full-state exchange) repairs what it missed.
 */
final class Sender {
  private static final System.Logger LOG = System.getLogger(Sender.class.getName());
  static final int QUEUE_CAPACITY = 16_384;

  private final String node;
  private final ThreadPoolExecutor executor;
  private final AtomicLong dropped = new AtomicLong();

  Sender(String node) {
    this.node = node;
    this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUE_CAPACITY), r -> {
          Thread t = new Thread(r, "tandem-cluster-send-" + node);
          t.setDaemon(true);
          return t;
        });
  }

  /** Runs {@code send} on the sender thread, after everything submitted before it. Never blocks. */
  void submit(String what, Send send) {
    try {
      executor.execute(() -> {
        try {
          send.run();
        } catch (Exception e) {
          LOG.log(System.Logger.Level.WARNING, "{0}: dropped {1}: {2}", node, what, e.toString());
        }
      });
    } catch (RejectedExecutionException e) {
      long n = dropped.incrementAndGet();
      // One line per power of two: a stuck peer must not flood the log.
      if (Long.bitCount(n) == 1) {
        LOG.log(System.Logger.Level.WARNING, "{0}: dropped {1}: send queue full or closed ({2} dropped so far)",
            node, what, n);
      }
    }
  }

  /** One send; it may throw, and the failure is logged and the message dropped. */
  @FunctionalInterface
  interface Send {
    void run() throws Exception;
  }

  long dropped() {
    return dropped.get();
  }

  /** Stops taking messages; those still queued are discarded. */
  void close() {
    executor.shutdownNow();
  }
}
