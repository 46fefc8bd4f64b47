package io.tandem.cluster;

import java.util.List;

/**
 * The body of a {@link MessageType#DELTAS} message: one sender's changes in the order they were
 * made. {@code sequence} grows by one per batch from a sender, so a receiver can see a lost batch.
 */
public record DeltaBatch(String sender, long sentAtMillis, long sequence, List<Delta> entries) {
  public DeltaBatch {
    entries = List.copyOf(entries);
  }
}
