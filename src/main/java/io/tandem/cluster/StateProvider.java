package io.tandem.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The full state a joining node fetches from the coordinator (the sticky table). JGroups streams it
 * in chunks through the encrypted stack, so neither side holds it as one array. Both methods run on
 * JGroups threads and may block: the writer on the coordinator's state thread, the reader on the
 * thread that called {@link ClusterChannel#connect()}.
 */
public interface StateProvider {
  /** On the coordinator: writes the current state. Do not close {@code out}. */
  void write(OutputStream out) throws IOException;

  /** On the joiner: replaces the local state with what {@code in} holds. Do not close {@code in}. */
  void read(InputStream in) throws IOException;

  /** A node with no state to share (the witness): writes nothing, reads nothing. */
  static StateProvider none() {
    return NoState.INSTANCE;
  }
}

enum NoState implements StateProvider {
  INSTANCE;

  @Override
  public void write(OutputStream out) {}

  @Override
  public void read(InputStream in) {}
}
