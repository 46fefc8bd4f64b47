package io.tandem.backend;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every transition the pool announces, as "id FROM->TO: reason". */
final class RecordingListener implements BackendPool.StateListener {
  final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void changed(Backend backend, BackendState from, BackendState to, String reason) {
    events.add(backend.id() + " " + from + "->" + to + ": " + reason);
  }

  /** The transitions only, without reasons. */
  List<String> transitions() {
    return events.stream().map(e -> e.substring(0, e.indexOf(':'))).toList();
  }
}
