package io.tandem.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jgroups.protocols.FD_SOCK2;
import org.junit.jupiter.api.Test;

class ClusterChannelTest extends ChannelFixture {
  @Test
  void twoNodesFormOneViewAndDeliverBroadcastsAndSendsInOrder() throws Exception {
    ClusterChannel a = cluster.create(0, StateProvider.none());
    ClusterChannel b = cluster.create(1, StateProvider.none());
    List<String> atA = new CopyOnWriteArrayList<>();
    List<String> atB = new CopyOnWriteArrayList<>();
    a.onMessage((from, bytes) -> atA.add(from + ":" + ByteBuffer.wrap(bytes).getInt()));
    b.onMessage((from, bytes) -> atB.add(from + ":" + ByteBuffer.wrap(bytes).getInt()));
    a.connect();
    b.connect();
    await().atMost(3, SECONDS).until(() -> a.members().size() == 2 && b.members().size() == 2);
    assertThat(a.members()).containsExactly("n0", "n1");
    assertThat(b.view().coordinator()).isEqualTo("n0");

    for (int i = 0; i < 500; i++) {
      a.broadcast(ByteBuffer.allocate(4).putInt(i).array());
      b.send("n0", ByteBuffer.allocate(4).putInt(i).array());
    }
    await().atMost(3, SECONDS).until(() -> atA.size() == 500 && atB.size() == 500);
    List<String> expectFromA = new ArrayList<>();
    List<String> expectFromB = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      expectFromA.add("n0:" + i);
      expectFromB.add("n1:" + i);
    }
    assertThat(atB).isEqualTo(expectFromA); // FIFO, and own broadcasts never come back to n0
    assertThat(atA).isEqualTo(expectFromB);
  }

  @Test
  void threeNodesFormOneViewAndABroadcastReachesBothOthers() throws Exception {
    ClusterChannel a = cluster.start(0);
    ClusterChannel b = cluster.start(1);
    ClusterChannel c = cluster.create(2, StateProvider.none());
    List<String> atC = new CopyOnWriteArrayList<>();
    List<String> atB = new CopyOnWriteArrayList<>();
    c.onMessage((from, bytes) -> atC.add(from + ":" + new String(bytes)));
    b.onMessage((from, bytes) -> atB.add(from + ":" + new String(bytes)));
    c.connect();
    await().atMost(3, SECONDS).until(() -> a.members().size() == 3 && b.members().size() == 3);
    assertThat(c.members()).containsExactly("n0", "n1", "n2");

    a.broadcast("hello".getBytes());
    c.send("n1", "direct".getBytes());
    c.send("n9", "nobody".getBytes()); // not a member: dropped, no exception
    await().atMost(2, SECONDS).until(() -> atC.size() == 1 && atB.size() == 2);
    assertThat(atC).containsExactly("n0:hello");
    assertThat(atB).containsExactlyInAnyOrder("n0:hello", "n2:direct");
  }

  @Test
  void aCrashedPeerIsSuspectedAtOnceAndDroppedFromTheView() throws Exception {
    ClusterChannel a = cluster.start(0);
    ClusterChannel b = cluster.start(1);
    await().atMost(3, SECONDS).until(() -> a.members().size() == 2);
    FD_SOCK2 fd = a.jchannel().getProtocolStack().findProtocol(FD_SOCK2.class);
    await().atMost(3, SECONDS).until(() -> fd.getClientState().equals("CONNECTED"));
    AtomicLong suspectedAt = new AtomicLong();
    AtomicReference<String> suspect = new AtomicReference<>();
    AtomicLong aloneAt = new AtomicLong();
    a.onSuspect(name -> {
      suspect.compareAndSet(null, name);
      suspectedAt.compareAndSet(0, System.nanoTime());
    });
    a.onView(v -> {
      if (v.members().size() == 1) {
        aloneAt.compareAndSet(0, System.nanoTime());
      }
    });

    long crashedAt = System.nanoTime();
    TestCluster.crash(b);
    await().atMost(3, SECONDS).until(() -> aloneAt.get() != 0);

    assertThat(suspect.get()).isEqualTo("n1");
    long toSuspect = (suspectedAt.get() - crashedAt) / 1_000;
    long toView = (aloneAt.get() - crashedAt) / 1_000;
    System.out.printf("crash -> onSuspect %.1f ms, crash -> view without it %.1f ms%n", toSuspect / 1e3, toView / 1e3);
    assertThat(suspectedAt.get()).isLessThan(aloneAt.get());
    assertThat(toSuspect).isLessThan(200_000); // FD_SOCK2 sees the closed socket in milliseconds
    assertThat(a.members()).containsExactly("n0");
  }

  @Test
  void aJoiningNodeReceivesTenMegabytesOfStateFromTheCoordinator() throws Exception {
    byte[] table = new byte[10 * 1024 * 1024];
    new Random(42).nextBytes(table);
    ClusterChannel a = cluster.create(0, new BytesState(table));
    a.connect();
    BytesState received = new BytesState(null);
    ClusterChannel b = cluster.create(1, received);
    long start = System.nanoTime();
    b.connect(); // returns only once the state is in
    System.out.printf("join with 10 MB of state: %d ms%n", (System.nanoTime() - start) / 1_000_000);
    assertThat(received.bytes).isNotNull();
    assertThat(MessageDigest.getInstance("SHA-256").digest(received.bytes))
        .isEqualTo(MessageDigest.getInstance("SHA-256").digest(table));
  }

  @Test
  void aNodeWithAnotherKeyCanNeitherJoinNorRead() throws Exception {
    ClusterChannel a = cluster.start(0);
    ClusterChannel b = cluster.start(1);
    Path otherKey = dir.resolve("other.key");
    ClusterKey.generate(otherKey);
    ClusterChannel x = cluster.create(cluster.options(2, otherKey), StateProvider.none());
    List<String> atX = new CopyOnWriteArrayList<>();
    x.onMessage((from, bytes) -> atX.add(from));
    x.connect(); // gives up joining after GMS's attempts and runs alone

    assertThat(x.members()).containsExactly("n2");
    assertThat(a.members()).containsExactly("n0", "n1");
    assertThat(a.foreignKeyMessages()).isPositive(); // n0 saw n2's JOIN request and said why it dropped it
    a.broadcast("secret".getBytes());
    x.broadcast("intruder".getBytes());
    List<String> atB = new CopyOnWriteArrayList<>();
    b.onMessage((from, bytes) -> atB.add(from + ":" + new String(bytes)));
    a.broadcast("after".getBytes());
    await().atMost(2, SECONDS).until(() -> atB.contains("n0:after"));
    assertThat(atB).doesNotContain("n2:intruder");
    assertThat(atX).isEmpty();
  }

  /** A state that is one byte array, written with its length first. */
  private static final class BytesState implements StateProvider {
    volatile byte[] bytes;

    BytesState(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public void write(OutputStream out) throws java.io.IOException {
      DataOutputStream data = new DataOutputStream(out);
      data.writeInt(bytes.length);
      data.write(bytes);
      data.flush();
    }

    @Override
    public void read(InputStream in) throws java.io.IOException {
      DataInputStream data = new DataInputStream(in);
      byte[] b = new byte[data.readInt()];
      data.readFully(b);
      bytes = b;
    }
  }
}
