package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.sticky.Binding;
import io.tandem.sticky.RebindReason;
import io.tandem.sticky.StickyTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplicatedStickyTableTest {
  private static final Duration IDLE = Duration.ofSeconds(60);
  private static final ReplicationOptions OPTIONS = ReplicationOptions.defaults(IDLE);

  private final TestClock clock = new TestClock();
  private final FakeNetwork net = new FakeNetwork();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<String> lags = new CopyOnWriteArrayList<>();
  private final List<ExecutorService> pools = new ArrayList<>();
  private final ReplicatedStickyTable a = node("a");
  private final ReplicatedStickyTable b = node("b");

  @AfterEach
  void stopThreads() {
    pools.forEach(ExecutorService::shutdownNow);
  }

  private ReplicatedStickyTable node(String name) {
    ReplicatedStickyTable t = new ReplicatedStickyTable(name, StickyTable.local(IDLE, 1_000_000, clock),
        net.join(name), scheduler, clock, (sender, lag) -> lags.add(sender + ">" + name + " " + lag),
        OPTIONS);
    net.onReceive(name, t::onMessage);
    return t;
  }

  /** What the timers would do in a few ms: send everything queued, and deliver it. */
  private void replicate(ReplicatedStickyTable... from) {
    for (ReplicatedStickyTable t : from) {
      t.flush();
    }
    net.deliver();
  }

  @Test
  void bindReachesThePeerAfterAFlush() {
    Binding bound = a.bind("k", "web1");
    net.deliver();
    assertThat(b.get("k")).isEmpty();

    replicate(a);

    assertThat(b.get("k")).contains(bound);
  }

  @Test
  void batchTimerSendsQueuedChanges() {
    a.start();
    a.bind("k1", "web1");
    a.bind("k2", "web2");

    scheduler.fire(OPTIONS.batchInterval());
    net.deliver();

    assertThat(b.size()).isEqualTo(2);
    assertThat(net.sentBy("a")).hasSize(1); // one batch for both changes
  }

  @Test
  void closeCancelsTimersAndSendsWhatIsLeft() {
    a.start();
    a.bind("k", "web1");

    a.close();
    net.deliver();

    assertThat(scheduler.size()).isZero();
    assertThat(b.get("k")).isPresent();
  }

  @Test
  void fullBatchIsSentWithoutWaitingForTheTimer() {
    for (int i = 0; i < OPTIONS.maxBatchEntries(); i++) {
      a.bind("key-" + i, "web1");
    }

    assertThat(net.sentBy("a")).hasSize(1);
    assertThat(WireCodec.decodeDeltas(net.sentBy("a").get(0)).entries()).hasSize(OPTIONS.maxBatchEntries());
  }

  @Test
  void remoteChangesAreNotEchoed() {
    a.bind("k", "web1");
    replicate(a);

    b.flushTouches();

    assertThat(net.sentBy("b")).isEmpty();
  }

  @Test
  void rebindHappensOnceAcrossReplicas() {
    a.bind("k", "web1");
    replicate(a);
    Binding moved = a.rebind("k", "web1", "web2", RebindReason.BACKEND_DOWN);
    replicate(a);

    // b's request path saw web1 die too, a moment later: the peer's move stands
    Binding onB = b.rebind("k", "web1", "web3", RebindReason.BACKEND_DOWN);
    replicate(b);

    assertThat(onB).isEqualTo(moved);
    assertThat(net.sentBy("b")).isEmpty();
    assertThat(a.get("k")).contains(moved);
  }

  @Test
  void removeReachesThePeer() {
    a.bind("k", "web1");
    replicate(a);

    a.remove("k");
    replicate(a);

    assertThat(b.get("k")).isEmpty();
    assertThat(b.size()).isZero();
  }

  @Test
  void touchesKeepThePeersEntryAlivePastTheIdleTimeout() {
    a.bind("used", "web1");
    a.bind("unused", "web1");
    replicate(a);

    clock.advance(Duration.ofSeconds(40));
    a.touch("used");
    a.flushTouches();
    net.deliver();
    clock.advance(Duration.ofSeconds(40)); // 80 s after the bind, 40 s after the touch

    assertThat(b.get("used")).map(Binding::lastSeenMillis).contains(a.get("used").orElseThrow().lastSeenMillis());
    assertThat(b.get("unused")).isEmpty();
  }

  @Test
  void touchesAreCoalescedPerKeyAndSentOnce() {
    a.bind("k", "web1");
    a.bind("other", "web1");
    replicate(a);
    net.clearSent();

    a.touch("k");
    clock.advance(Duration.ofSeconds(1));
    a.touch("k");
    a.flushTouches();
    a.flushTouches(); // nothing touched since

    assertThat(net.sentBy("a")).hasSize(1);
    assertThat(WireCodec.decodeDeltas(net.sentBy("a").get(0)).entries())
        .containsExactly(new Delta.Touch("k", clock.getAsLong()));
  }

  @Test
  void touchTimerSendsTouches() {
    a.bind("k", "web1");
    replicate(a);
    a.start();
    clock.advance(Duration.ofSeconds(5));
    a.touch("k");

    scheduler.fire(OPTIONS.touchInterval());
    net.deliver();

    assertThat(b.get("k").orElseThrow().lastSeenMillis()).isEqualTo(clock.getAsLong());
  }

  @Test
  void peerExpiryDoesNotEndASessionThatIsLiveHere() {
    a.bind("k", "web1");
    replicate(a);
    clock.advance(Duration.ofSeconds(50));
    a.touch("k"); // the touch has not reached b when b's sweep runs
    clock.advance(Duration.ofSeconds(20));

    assertThat(b.expireIdle()).isEqualTo(1);
    replicate(b); // a hears the REMOVE of the same version, keeps k and sends it back
    replicate(a);

    assertThat(a.get("k")).isPresent();
    assertThat(b.get("k")).isEqualTo(a.get("k"));
    assertThat(a.bindingsResent()).isEqualTo(1);
  }

  @Test
  void expiryWhereBothSidesAreIdleRemovesEverywhere() {
    a.bind("k", "web1");
    replicate(a);
    clock.advance(Duration.ofSeconds(61));

    assertThat(a.expireIdle()).isEqualTo(1);
    replicate(a);

    assertThat(b.size()).isZero();
  }

  @Test
  void partitionedSidesConvergeOnTheNewestBindingAfterAFullSync() {
    ReplicatedStickyTable c = node("c");
    a.bind("shared", "web1");
    replicate(a);
    net.cut("a", "b");
    net.cut("a", "c");

    a.bind("k", "web1");
    a.bind("only-a", "web1");
    b.bind("k", "web2");
    Binding newest = b.bind("k", "web3");
    b.remove("shared");
    replicate(a, b);
    assertThat(c.get("k")).contains(newest);
    assertThat(a.get("k").orElseThrow().backendId()).isEqualTo("web1");

    net.heal("a", "b");
    net.heal("a", "c");
    a.sendFullSync();
    b.sendFullSync();
    c.sendFullSync();
    net.deliver();

    for (ReplicatedStickyTable t : List.of(a, b, c)) {
      assertThat(t.get("k")).as(t.toString()).contains(newest);
      assertThat(t.get("only-a")).isPresent();
    }
    assertThat(contents(a)).isEqualTo(contents(b)).isEqualTo(contents(c));
    // no tombstones: a's copy of a key b removed during the partition comes back with the sync
    assertThat(b.get("shared")).isPresent();
  }

  @Test
  void fullSyncSendsTheTableInChunksEndingWithTheLastFlag() {
    ReplicationOptions small = new ReplicationOptions(Duration.ofMillis(5), Duration.ofSeconds(10), 500,
        32 * 1024, 100);
    ReplicatedStickyTable s = new ReplicatedStickyTable("s", StickyTable.local(IDLE, 10_000, clock),
        net.join("s"), scheduler, clock, LagRecorder.none(), small);
    net.onReceive("s", s::onMessage);
    for (int i = 0; i < 250; i++) {
      s.applyRemote(new Binding("k" + i, "web1", i + 1, clock.getAsLong()));
    }

    assertThat(s.sendFullSync()).isEqualTo(250);

    List<SyncChunk> chunks = net.sentBy("s").stream().map(WireCodec::decodeSync).toList();
    assertThat(chunks).extracting(SyncChunk::index).containsExactly(0, 1, 2);
    assertThat(chunks).extracting(SyncChunk::last).containsExactly(false, false, true);
    net.deliver();
    assertThat(a.size()).isEqualTo(250);
  }

  @Test
  void restoreOfAHundredThousandBindingsEqualsTheSource() throws IOException {
    for (int i = 0; i < 100_000; i++) {
      a.bind("session-" + i, "web" + (i % 3));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    a.snapshot(out);
    long restored = b.restore(new ByteArrayInputStream(out.toByteArray()));

    assertThat(restored).isEqualTo(100_000);
    assertThat(contents(b)).isEqualTo(contents(a));
  }

  @Test
  void restoreKeepsANewerLocalBinding() throws IOException {
    a.bind("k", "web1");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    a.snapshot(out);
    b.applyRemote(new Binding("k", "web2", 1_000, clock.getAsLong()));

    b.restore(new ByteArrayInputStream(out.toByteArray()));

    assertThat(b.get("k").orElseThrow().backendId()).isEqualTo("web2");
  }

  @Test
  void concurrentBindsFromFourThreadsArriveExactlyOnce() throws Exception {
    int perThread = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(5);
    pools.add(pool);
    CountDownLatch go = new CountDownLatch(1);
    AtomicBoolean binding = new AtomicBoolean(true);
    Future<?> flusher = pool.submit(() -> {
      while (binding.get()) {
        a.flush(); // the timer, racing the early flushes of the binding threads
      }
    });
    List<Future<?>> binders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      binders.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < perThread; i++) {
          a.bind("t" + thread + "-" + i, "web" + (i % 3));
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : binders) {
      f.get(30, TimeUnit.SECONDS);
    }
    binding.set(false);
    flusher.get(30, TimeUnit.SECONDS);
    replicate(a);

    Map<String, Integer> arrivals = new HashMap<>();
    long previousSequence = 0;
    for (byte[] message : net.sentBy("a")) {
      DeltaBatch batch = WireCodec.decodeDeltas(message);
      assertThat(batch.sequence()).isEqualTo(previousSequence + 1);
      previousSequence = batch.sequence();
      batch.entries().forEach(d -> arrivals.merge(d.key(), 1, Integer::sum));
    }
    assertThat(arrivals).hasSize(4 * perThread);
    assertThat(arrivals.values()).containsOnly(1);
    assertThat(b.size()).isEqualTo(4 * perThread);
    assertThat(contents(b)).isEqualTo(contents(a));
    assertThat(b.sequenceGaps()).isZero();
  }

  @Test
  void countsBytesAndRecordsLag() {
    a.bind("k", "web1");
    a.flush();
    clock.advance(Duration.ofMillis(7));
    net.deliver();

    assertThat(a.bytesSent()).isPositive().isEqualTo(b.bytesReceived());
    assertThat(lags).containsExactly("a>b 7");
  }

  @Test
  void leavesOtherMessageTypesToTheDispatcher() {
    assertThat(b.onMessage(WireCodec.encodeStatus(WireCodecTest.status(NodeState.MASTER)))).isFalse();
    assertThat(b.bytesReceived()).isZero();
  }

  @Test
  void listenersOfTheReplicatedTableHearLocalChangesOnly() {
    List<String> heard = new CopyOnWriteArrayList<>();
    b.addListener(new StickyTable.Listener() {
      @Override
      public void bound(Binding binding) {
        heard.add("bound " + binding.key());
      }

      @Override
      public void removed(String key, long version) {
        heard.add("removed " + key);
      }
    });

    a.bind("remote", "web1");
    replicate(a);
    b.bind("local", "web1");
    b.remove("local");

    assertThat(heard).containsExactly("bound local", "removed local");
  }

  @Test
  void sequenceGapIsCounted() {
    a.bind("first", "web1");
    replicate(a);
    net.cut("a", "b");
    a.bind("lost", "web1");
    replicate(a);
    net.heal("a", "b");
    a.bind("k", "web1");
    replicate(a);

    assertThat(b.sequenceGaps()).isEqualTo(1);
  }

  private static Map<String, Binding> contents(StickyTable t) {
    Map<String, Binding> m = new HashMap<>();
    t.forEach(x -> m.put(x.key(), x));
    return m;
  }
}
