package io.tandem.cluster;

import io.tandem.sticky.Binding;
import io.tandem.sticky.StickyTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The sticky table of a cluster member: a decorator that passes every call to the local table and
 * sends the local changes it hears (binds, re-binds, removes including expiry, touches) to every
 * peer, and applies what peers send ({@link #onMessage}).
 *
 * <p>Sending: changes are appended to a lock-free queue on the caller's thread and leave as one
 * DELTAS broadcast per {@code batchInterval}, or at once when a batch's worth waits. Touches are
 * coalesced per key and sent every {@code touchInterval}. Every send happens under one lock, which
 * request threads never wait for (they only try it), so batches leave in the order their changes
 * were made: the receiving table keeps no tombstones, and a remove overtaken by the bind before it
 * would be undone.
 *
 * <p>Reads, writes and listeners pass straight through; expiry ({@link #expireIdle}, or the local
 * table's own sweep when full) removes entries with their own version, which is sent like any
 * remove, so a peer holding a newer binding keeps it, and a peer that still sees the user keeps
 * its copy and sends it back ({@link RemoteChanges}).
 *
 * <p>Convergence: a joining node restores a snapshot ({@link #restore}); after a partition heals
 * each side calls {@link #sendFullSync}, and the newest version of each key wins on both.
 */
public final class ReplicatedStickyTable extends ForwardingStickyTable {
  private static final System.Logger LOG = System.getLogger(ReplicatedStickyTable.class.getName());

  private final String nodeName;
  private final ClusterTransport transport;
  private final Scheduler scheduler;
  private final LongSupplier clockMillis;
  private final ReplicationOptions options;
  private final DeltaQueue queue;
  private final RemoteChanges remote;
  private final ReentrantLock sendLock = new ReentrantLock();
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder bytesReceived = new LongAdder();
  private final List<Scheduler.Cancellable> timers = new CopyOnWriteArrayList<>();
  /** Guarded by {@link #sendLock}. */
  private long sequence;

  /**
   * Starts listening to {@code delegate} at once (changes made before {@link #start} are sent at
   * the first flush); sending on a timer starts with {@link #start}.
   *
   * @param clockMillis wall clock, the same as the table's: stamps batches and measures lag
   */
  public ReplicatedStickyTable(String nodeName, StickyTable delegate, ClusterTransport transport,
      Scheduler scheduler, LongSupplier clockMillis, LagRecorder lag, ReplicationOptions options) {
    super(delegate);
    this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    this.options = Objects.requireNonNull(options, "options");
    this.queue = new DeltaQueue(options.maxBatchEntries(), options.maxBatchBytes());
    this.remote = new RemoteChanges(nodeName, delegate, clockMillis, Objects.requireNonNull(lag, "lag"),
        this::enqueue);
    delegate.addListener(new LocalChanges()); // last: every field it reaches is set
  }

  /** Starts the batch and touch timers. */
  public void start() {
    timers.add(scheduler.every(options.batchInterval(), this::flush));
    timers.add(scheduler.every(options.touchInterval(), this::flushTouches));
    LOG.log(Level.INFO, "{0}: replicating sticky changes every {1}, touches every {2}", nodeName,
        options.batchInterval(), options.touchInterval());
  }

  /** Stops the timers and sends what is still queued, touches included. */
  public void close() {
    timers.forEach(Scheduler.Cancellable::cancel);
    timers.clear();
    flushTouches();
  }

  /**
   * Sends the queued changes now, unless another thread is sending: then it returns at once and
   * whatever that sender leaves goes at the next tick (request threads must never wait here).
   */
  public void flush() {
    if (sendLock.tryLock()) {
      try {
        sendQueued();
      } finally {
        sendLock.unlock();
      }
    }
  }

  /** Sends the queued changes, then the touches coalesced since the last time. */
  public void flushTouches() {
    sendLock.lock(); // held by a sender for one batch, or one SYNC chunk: well under a millisecond
    try {
      sendQueued();
      List<Delta> touches = queue.drainTouches();
      for (int from = 0; from < touches.size(); from += options.maxBatchEntries()) {
        sendBatch(touches.subList(from, Math.min(touches.size(), from + options.maxBatchEntries())));
      }
    } finally {
      sendLock.unlock();
    }
  }

  /**
   * Broadcasts the whole table in SYNC chunks (after a partition heals, so both sides converge);
   * returns the number of bindings sent. It walks the whole table: run it off the event loops for a
   * large one. Each chunk is read and sent under the send lock, after the changes queued before
   * it, so a change made while the sync runs always reaches peers after the chunk it may revert.
   */
  public long sendFullSync() {
    SyncSender sync = new SyncSender();
    try {
      delegate.forEach(sync);
      sync.finish();
    } finally {
      sync.release();
    }
    LOG.log(Level.INFO, "{0}: full sync sent: {1} bindings in {2} chunks", nodeName,
        String.valueOf(sync.total), String.valueOf(sync.index)); // valueOf: no digit grouping
    return sync.total;
  }

  /**
   * Applies a message from a peer, if it is a DELTAS or a SYNC; returns false for other types, for
   * the dispatcher to route. Throws {@link WireFormatException} on a malformed message. Feed one
   * sender's messages in order (as JGroups delivers them).
   */
  public boolean onMessage(byte[] payload) {
    MessageType type = WireCodec.typeOf(payload);
    if (type == MessageType.DELTAS) {
      bytesReceived.add(payload.length);
      remote.apply(WireCodec.decodeDeltas(payload));
      return true;
    }
    if (type == MessageType.SYNC) {
      bytesReceived.add(payload.length);
      remote.apply(WireCodec.decodeSync(payload));
      return true;
    }
    return false;
  }

  /** Writes the whole table for state transfer ({@link WireCodec#writeSnapshot}); blocking. */
  public long snapshot(OutputStream out) throws IOException {
    return WireCodec.writeSnapshot(delegate, out);
  }

  /** Applies a snapshot as remote bindings, so a newer local binding is kept; blocking. */
  public long restore(InputStream in) throws IOException {
    long n = WireCodec.readSnapshot(in, delegate::applyRemote);
    LOG.log(Level.INFO, "{0}: restored {1} bindings, table holds {2}", nodeName, String.valueOf(n),
        String.valueOf(delegate.size()));
    return n;
  }

  /** Bytes of DELTAS and SYNC messages sent since creation. */
  public long bytesSent() {
    return bytesSent.sum();
  }

  /** Bytes of DELTAS and SYNC messages received since creation. */
  public long bytesReceived() {
    return bytesReceived.sum();
  }

  /** DELTAS batches that went missing from peers (or sequence restarts) since creation. */
  public long sequenceGaps() {
    return remote.sequenceGaps();
  }

  /** Full syncs from peers applied since start (a merge brings one from each side). */
  public long fullSyncsApplied() {
    return remote.fullSyncs();
  }

  /** Bindings kept against a peer's expiry of them and sent back (see {@link RemoteChanges}). */
  public long bindingsResent() {
    return remote.resent();
  }

  private void enqueue(Binding b) {
    if (queue.add(new Delta.Bind(b))) {
      flush();
    }
  }

  /** Holds {@link #sendLock}. Bounded, so producers outpacing it cannot keep it here forever. */
  private void sendQueued() {
    for (int rounds = queue.size() / options.maxBatchEntries() + 1; rounds > 0; rounds--) {
      List<Delta> batch = queue.nextBatch();
      if (batch.isEmpty()) {
        return;
      }
      sendBatch(batch);
    }
  }

  /** Holds {@link #sendLock}. */
  private void sendBatch(List<Delta> entries) {
    long seq = ++sequence;
    send(WireCodec.encodeDeltas(new DeltaBatch(nodeName, clockMillis.getAsLong(), seq, entries)),
        "DELTAS", seq);
  }

  private void send(byte[] payload, String kind, long number) {
    try {
      transport.broadcast(payload);
      bytesSent.add(payload.length);
    } catch (RuntimeException e) {
      // Lost for the peers; the next full sync (on merge) or state transfer (on join) repairs it.
      LOG.log(Level.WARNING, "{0}: could not send {1} {2}: {3}", nodeName, kind, String.valueOf(number),
          e.toString());
    }
  }

  /** Hears the local table's own changes (remote ones are not announced, so nothing echoes). */
  private final class LocalChanges implements Listener {
    @Override
    public void bound(Binding binding) {
      enqueue(binding);
    }

    @Override
    public void removed(String key, long version) {
      if (queue.add(new Delta.Remove(key, version))) {
        flush();
      }
    }

    @Override
    public void touched(String key, long lastSeenMillis) {
      queue.touch(key, lastSeenMillis);
    }
  }

  /** Cuts the table into chunks as {@code forEach} walks it, each read and sent under the lock. */
  private final class SyncSender implements Consumer<Binding> {
    private final List<Binding> chunk = new ArrayList<>(options.syncChunkBindings());
    private boolean locked;
    int index;
    long total;

    @Override
    public void accept(Binding b) {
      lock();
      chunk.add(b);
      if (chunk.size() == options.syncChunkBindings()) {
        sendChunk(false);
        release();
      }
    }

    /** The last chunk goes even when empty: it tells the peer the sync is complete. */
    void finish() {
      lock();
      sendChunk(true);
    }

    void release() {
      if (locked) {
        locked = false;
        sendLock.unlock();
      }
    }

    private void lock() {
      if (!locked) {
        sendLock.lock();
        locked = true;
        sendQueued(); // changes made before this chunk is read go first
      }
    }

    private void sendChunk(boolean last) {
      send(WireCodec.encodeSync(new SyncChunk(nodeName, clockMillis.getAsLong(), index, last, chunk)),
          "SYNC chunk", index);
      index++;
      total += chunk.size();
      chunk.clear();
    }
  }
}
