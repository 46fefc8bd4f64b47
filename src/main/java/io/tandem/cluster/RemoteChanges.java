package io.tandem.cluster;

import io.tandem.sticky.Binding;
import io.tandem.sticky.StickyTable;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Applies peers' DELTAS and SYNC chunks to the local table through its remote methods, which do
 * not notify listeners, so nothing echoes back. Must be fed one sender's messages in the order they
 * were sent (the table keeps no tombstones, so a remove overtaken by an older bind would undo it).
 *
 * <p>A REMOVE carrying exactly the version of a binding that is live here is a peer expiring its
 * idle copy while this node still sees the user (its touch was late: touches travel every few
 * seconds). Deleting would end a live session, so the binding is kept and handed to
 * {@code resend}, which sends it back so the peer has it again.
 */
final class RemoteChanges {
  private static final System.Logger LOG = System.getLogger(RemoteChanges.class.getName());

  private final String nodeName;
  private final StickyTable table;
  private final LongSupplier clockMillis;
  private final LagRecorder lag;
  private final Consumer<Binding> resend;
  private final ConcurrentHashMap<String, Long> lastSequence = new ConcurrentHashMap<>();
  private final LongAdder sequenceGaps = new LongAdder();
  private final LongAdder resent = new LongAdder();
  private final LongAdder fullSyncs = new LongAdder();

  RemoteChanges(String nodeName, StickyTable table, LongSupplier clockMillis, LagRecorder lag,
      Consumer<Binding> resend) {
    this.nodeName = nodeName;
    this.table = table;
    this.clockMillis = clockMillis;
    this.lag = lag;
    this.resend = resend;
  }

  void apply(DeltaBatch batch) {
    lag.record(batch.sender(), clockMillis.getAsLong() - batch.sentAtMillis());
    checkSequence(batch.sender(), batch.sequence());
    for (Delta d : batch.entries()) {
      if (d instanceof Delta.Bind b) {
        table.applyRemote(b.binding());
      } else if (d instanceof Delta.Remove rm) {
        remove(rm.key(), rm.version());
      } else {
        touch((Delta.Touch) d);
      }
    }
  }

  void apply(SyncChunk chunk) {
    chunk.bindings().forEach(table::applyRemote);
    if (chunk.last()) {
      fullSyncs.increment();
      LOG.log(Level.INFO, "{0}: full sync from {1} applied ({2} chunks)", nodeName, chunk.sender(),
          String.valueOf(chunk.index() + 1)); // valueOf: MessageFormat would group digits
    }
  }

  /** Full syncs (all their chunks) applied since creation. */
  long fullSyncs() {
    return fullSyncs.sum();
  }

  /** Batches that went missing, or sequence restarts (a peer restarted), since creation. */
  long sequenceGaps() {
    return sequenceGaps.sum();
  }

  /** Bindings kept against a peer's expiry and sent back to it. */
  long resent() {
    return resent.sum();
  }

  private void remove(String key, long version) {
    Optional<Binding> mine = table.get(key);
    if (mine.isPresent() && mine.get().version() == version) {
      resent.increment();
      resend.accept(mine.get());
    } else {
      table.applyRemoteRemove(key, version);
    }
  }

  /**
   * A touch carries no version: it extends whatever binding this node holds for the key, which is
   * right because the user is active either way. A key this node does not hold, or holds idle (the
   * touch came late), is left alone: when this node's sweep removes it, the REMOVE reaches the peer,
   * which still holds it live and sends it back (see the class comment), so it heals.
   */
  private void touch(Delta.Touch t) {
    Optional<Binding> mine = table.get(t.key());
    if (mine.isPresent() && t.lastSeenMillis() > mine.get().lastSeenMillis()) {
      Binding b = mine.get();
      // Same version, later lastSeen: applyRemote's tie-break takes it; a newer local bind wins.
      table.applyRemote(new Binding(b.key(), b.backendId(), b.version(), t.lastSeenMillis()));
    }
  }

  private void checkSequence(String sender, long sequence) {
    Long previous = lastSequence.put(sender, sequence);
    if (previous != null && sequence != previous + 1) {
      sequenceGaps.increment();
      LOG.log(Level.WARNING, "{0}: DELTAS from {1} jumped from batch {2} to {3} (lost in a partition,"
          + " or the peer restarted; a full sync repairs)", nodeName, sender, String.valueOf(previous),
          String.valueOf(sequence));
    }
  }
}
