package io.tandem.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-message table of backend ids: a farm has a handful of backends and a batch names them
 * thousands of times, so each entry carries a one-byte index instead of the id.
 */
final class BackendDictionary {
  private final Map<String, Integer> indexes = new HashMap<>();
  private final List<String> ids = new ArrayList<>();

  int add(String backendId) {
    Integer i = indexes.get(backendId);
    if (i != null) {
      return i;
    }
    indexes.put(backendId, ids.size());
    ids.add(backendId);
    return ids.size() - 1;
  }

  int indexOf(String backendId) {
    return indexes.get(backendId);
  }

  void write(WireWriter w) {
    w.uvarint(ids.size());
    for (String id : ids) {
      w.string(id);
    }
  }

  /** Reads a dictionary written by {@link #write}; each id takes at least its length byte. */
  static String[] read(WireReader r) {
    String[] ids = new String[r.count("backend dictionary size", -1, 1)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.string("backend id", i);
    }
    return ids;
  }

  static String lookup(WireReader r, String[] ids, int entry) {
    long i = r.uvarint("backend index", entry);
    if (i < 0 || i >= ids.length) {
      throw r.fail("backend index", entry, i + " not in dictionary of " + ids.length);
    }
    return ids[(int) i];
  }
}
