package io.tandem.cluster;

import io.tandem.config.HostPort;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Channels on 127.0.0.1 sharing one key, each on a free port whose FD_SOCK2 port (+100) is free
 * too. Closes them all at the end.
 */
final class TestCluster implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofMillis(100);
  static final Duration TIMEOUT = Duration.ofMillis(500);

  private final Path key;
  private final List<HostPort> addresses = new ArrayList<>();
  private final List<ClusterChannel> open = new ArrayList<>();

  TestCluster(Path key, int size) throws IOException {
    this.key = key;
    addresses.addAll(LoopbackPorts.free(size));
  }

  HostPort address(int i) {
    return addresses.get(i);
  }

  ClusterOptions options(int i, Path keyFile) {
    List<HostPort> peers = new ArrayList<>(addresses);
    peers.remove(i);
    return new ClusterOptions("n" + i, addresses.get(i), peers, keyFile, INTERVAL, TIMEOUT);
  }

  /** Node i, built but not connected. */
  ClusterChannel create(int i, StateProvider state) throws Exception {
    return create(options(i, key), state);
  }

  ClusterChannel create(ClusterOptions o, StateProvider state) throws Exception {
    ClusterChannel ch = new ClusterChannel(o, state);
    open.add(ch);
    return ch;
  }

  ClusterChannel start(int i) throws Exception {
    ClusterChannel ch = create(i, StateProvider.none());
    ch.connect();
    return ch;
  }

  /** Like kill -9: every socket closes, and no LEAVE is sent. */
  static void crash(ClusterChannel ch) {
    ch.jchannel().getProtocolStack().stopStack(ClusterOptions.DEFAULT_CLUSTER_NAME);
  }

  @Override
  public void close() {
    for (ClusterChannel ch : open) {
      ch.close();
    }
  }
}
