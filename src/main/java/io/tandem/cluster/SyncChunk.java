package io.tandem.cluster;

import io.tandem.sticky.Binding;
import java.util.List;

/**
 * The body of a {@link MessageType#SYNC} message: chunk {@code index} (from 0) of a sender's whole
 * table, sent after a partition heals; {@code last} marks the final chunk.
 */
public record SyncChunk(String sender, long sentAtMillis, int index, boolean last, List<Binding> bindings) {
  public SyncChunk {
    bindings = List.copyOf(bindings);
  }
}
