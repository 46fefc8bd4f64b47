package io.tandem.sticky;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records table events as short strings, in order, from any thread. */
final class RecordingListener implements StickyTable.Listener {
  final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void bound(Binding b) {
    events.add("bound " + b.key() + "->" + b.backendId() + " v" + b.version());
  }

  @Override
  public void rebound(Binding b, String fromBackend, RebindReason reason) {
    events.add("rebound " + b.key() + " " + fromBackend + "->" + b.backendId() + " " + reason);
  }

  @Override
  public void removed(String key, long version) {
    events.add("removed " + key + " v" + version);
  }

  @Override
  public void touched(String key, long lastSeenMillis) {
    events.add("touched " + key + " @" + lastSeenMillis);
  }
}
