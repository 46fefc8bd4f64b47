package io.tandem.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An in-memory cluster: broadcasts are queued per (sender, receiver) link and delivered FIFO when
 * the test calls {@link #deliver()}, as JGroups would; a cut link drops what is sent over it, as a
 * partition does. Every payload sent is recorded for inspection. Thread-safe for senders.
 */
final class FakeNetwork {
  private final Map<String, Consumer<byte[]>> receivers = new LinkedHashMap<>();
  private final Map<String, ArrayDeque<byte[]>> links = new LinkedHashMap<>();
  private final Map<String, List<byte[]>> sent = new LinkedHashMap<>();
  private final Set<String> cut = new HashSet<>();

  synchronized ClusterTransport join(String name) {
    receivers.put(name, payload -> {
      throw new IllegalStateException(name + " has no receiver");
    });
    sent.put(name, new ArrayList<>());
    return new ClusterTransport() {
      @Override
      public void broadcast(byte[] payload) {
        FakeNetwork.this.broadcast(name, payload);
      }

      @Override
      public void send(String member, byte[] payload) {
        FakeNetwork.this.send(name, member, payload);
      }
    };
  }

  synchronized void onReceive(String name, Consumer<byte[]> receiver) {
    receivers.put(name, receiver);
  }

  synchronized void cut(String a, String b) {
    cut.add(a + ">" + b);
    cut.add(b + ">" + a);
  }

  synchronized void heal(String a, String b) {
    cut.remove(a + ">" + b);
    cut.remove(b + ">" + a);
  }

  synchronized List<byte[]> sentBy(String name) {
    return List.copyOf(sent.get(name));
  }

  synchronized void clearSent() {
    sent.values().forEach(List::clear);
  }

  /** Delivers everything queued, in order per link, until the network is quiet; returns how many. */
  int deliver() {
    int delivered = 0;
    while (true) {
      String to;
      byte[] payload;
      Consumer<byte[]> receiver;
      synchronized (this) {
        Map.Entry<String, ArrayDeque<byte[]>> next = links.entrySet().stream()
            .filter(e -> !e.getValue().isEmpty()).findFirst().orElse(null);
        if (next == null) {
          return delivered;
        }
        to = next.getKey().substring(next.getKey().indexOf('>') + 1);
        payload = next.getValue().poll();
        receiver = receivers.get(to);
      }
      receiver.accept(payload); // outside the lock: the receiver may send in turn
      delivered++;
    }
  }

  private synchronized void broadcast(String from, byte[] payload) {
    sent.get(from).add(payload);
    for (String to : receivers.keySet()) {
      if (!to.equals(from)) {
        enqueue(from, to, payload);
      }
    }
  }

  private synchronized void send(String from, String to, byte[] payload) {
    sent.get(from).add(payload);
    if (receivers.containsKey(to)) {
      enqueue(from, to, payload);
    }
  }

  private void enqueue(String from, String to, byte[] payload) {
    String link = from + ">" + to;
    if (!cut.contains(link)) {
      links.computeIfAbsent(link, k -> new ArrayDeque<>()).add(payload);
    }
  }
}
