package io.tandem.cluster;

import io.tandem.sticky.Binding;
import java.util.List;
import java.util.function.Consumer;

/**
 * A run of bindings as SYNC chunks and snapshot frames carry them: a backend dictionary, a count,
 * then per binding its key, backend index, version as a zigzag delta from the previous binding's,
 * and lastSeen as a zigzag distance below {@code baseMillis} (bindings are recent, so both are a
 * few bytes). DELTAS encode their BIND entries with the same four fields.
 */
final class BindingBlock {
  /** key length byte, backend index, version delta, lastSeen distance. */
  static final int MIN_BINDING_BYTES = 4;

  private BindingBlock() {}

  static void write(WireWriter w, long baseMillis, List<Binding> bindings) {
    BackendDictionary dict = new BackendDictionary();
    for (Binding b : bindings) {
      dict.add(b.backendId());
    }
    dict.write(w);
    w.uvarint(bindings.size());
    long prevVersion = 0;
    for (Binding b : bindings) {
      writeBinding(w, dict, baseMillis, prevVersion, b);
      prevVersion = b.version();
    }
  }

  /** Reads what {@link #write} wrote, handing each binding over as it is decoded; returns the count. */
  static int read(WireReader r, long baseMillis, Consumer<Binding> out) {
    String[] ids = BackendDictionary.read(r);
    int n = r.count("binding count", -1, MIN_BINDING_BYTES);
    long prevVersion = 0;
    for (int i = 0; i < n; i++) {
      Binding b = readBinding(r, ids, baseMillis, prevVersion, i);
      prevVersion = b.version();
      out.accept(b);
    }
    return n;
  }

  static void writeBinding(WireWriter w, BackendDictionary dict, long baseMillis, long prevVersion, Binding b) {
    w.string(b.key());
    w.uvarint(dict.indexOf(b.backendId()));
    w.zigzag(b.version() - prevVersion);
    w.zigzag(baseMillis - b.lastSeenMillis());
  }

  static Binding readBinding(WireReader r, String[] ids, long baseMillis, long prevVersion, int entry) {
    String key = r.string("key", entry);
    String backend = BackendDictionary.lookup(r, ids, entry);
    long version = prevVersion + r.zigzag("version", entry);
    long lastSeen = baseMillis - r.zigzag("lastSeen", entry);
    return new Binding(key, backend, version, lastSeen);
  }
}
