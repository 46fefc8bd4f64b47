package io.tandem.cluster;

import io.tandem.backend.AdminState;
import java.util.List;
import java.util.Objects;

/**
 * The operator's backend states as one node knows them ({@link MessageType#BACKEND_STATES}): for
 * each backend the last state set by an operator anywhere in the cluster, with its version and the
 * node where it was set (which breaks ties between equal versions).
 */
public record BackendStates(String sender, long sentAtMillis, List<Entry> entries) {
  public BackendStates {
    Objects.requireNonNull(sender, "sender");
    entries = List.copyOf(entries);
  }

  /** One backend's operator state; {@code version} is a Lamport clock, {@code origin} a node name. */
  public record Entry(String backendId, AdminState state, long version, String origin) {
    public Entry {
      Objects.requireNonNull(backendId, "backendId");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(origin, "origin");
    }

    /** Whether this entry wins over {@code other}: the higher version, then the higher origin name. */
    public boolean newerThan(Entry other) {
      if (other == null) {
        return true;
      }
      if (version != other.version) {
        return version > other.version;
      }
      return origin.compareTo(other.origin) > 0;
    }
  }
}
