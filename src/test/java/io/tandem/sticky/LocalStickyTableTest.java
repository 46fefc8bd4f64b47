package io.tandem.sticky;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalStickyTableTest {
  private static final Duration IDLE = Duration.ofMinutes(30);

  private final FakeClock clock = new FakeClock();
  private final StickyTable table = StickyTable.local(IDLE, 1000, clock);
  private final RecordingListener listener = new RecordingListener();

  {
    table.addListener(listener);
  }

  @Test
  void getReturnsWhatWasBound() {
    Binding b = table.bind("c:abc", "web1");

    assertThat(table.get("c:abc")).contains(b);
    assertThat(b.backendId()).isEqualTo("web1");
    assertThat(b.lastSeenMillis()).isEqualTo(clock.getAsLong());
    assertThat(listener.events).containsExactly("bound c:abc->web1 v" + b.version());
  }

  @Test
  void getOfUnknownKeyIsEmpty() {
    assertThat(table.get("c:nobody")).isEmpty();
  }

  @Test
  void everyChangeOfAKeyHasAHigherVersion() {
    long v1 = table.bind("k", "web1").version();
    long v2 = table.bind("k", "web2").version();
    long v3 = table.rebind("k", "web2", "web3", RebindReason.BACKEND_DOWN).version();
    table.remove("k");

    assertThat(v2).isGreaterThan(v1);
    assertThat(v3).isGreaterThan(v2);
    assertThat(listener.events.get(3)).startsWith("removed k v");
    assertThat(Long.parseLong(listener.events.get(3).substring("removed k v".length()))).isGreaterThan(v3);
  }

  @Test
  void localVersionsExceedEveryVersionReceivedFromPeers() {
    table.applyRemote(new Binding("other", "web1", 100, clock.getAsLong()));

    assertThat(table.bind("k", "web2").version()).isGreaterThan(100);
  }

  @Test
  void localVersionExceedsTheKeysRemoteVersion() {
    table.applyRemote(new Binding("k", "web1", 41, clock.getAsLong()));

    Binding b = table.bind("k", "web2");

    assertThat(b.version()).isEqualTo(42);
  }

  @Test
  void bindingIdleLongerThanTimeoutIsAbsent() {
    table.bind("k", "web1");

    clock.advance(IDLE);
    assertThat(table.get("k")).isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(table.get("k")).isEmpty();
  }

  @Test
  void touchKeepsABindingAlive() {
    table.bind("k", "web1");

    clock.advance(IDLE.minusMinutes(1));
    table.touch("k");
    clock.advance(IDLE.minusMinutes(1));

    assertThat(table.get("k")).isPresent();
    assertThat(table.expireIdle()).isZero();
  }

  @Test
  void touchUpdatesLastSeenOnlyAndNotifies() {
    Binding before = table.bind("k", "web1");
    clock.advance(Duration.ofSeconds(5));

    table.touch("k");

    Binding after = table.get("k").orElseThrow();
    assertThat(after.version()).isEqualTo(before.version());
    assertThat(after.lastSeenMillis()).isEqualTo(clock.getAsLong());
    assertThat(listener.events).last().isEqualTo("touched k @" + clock.getAsLong());
  }

  @Test
  void touchDoesNotReviveAnExpiredBinding() {
    table.bind("k", "web1");
    clock.advance(IDLE.plusSeconds(1));

    table.touch("k");

    assertThat(table.get("k")).isEmpty();
    assertThat(listener.events).noneMatch(e -> e.startsWith("touched"));
  }

  @Test
  void expireIdleRemovesIdleBindingsAndNotifiesWithTheirVersion() {
    long v = table.bind("old", "web1").version();
    clock.advance(IDLE.minusMinutes(10));
    table.bind("fresh", "web1");
    clock.advance(Duration.ofMinutes(11));

    assertThat(table.expireIdle()).isEqualTo(1);

    assertThat(table.size()).isEqualTo(1);
    assertThat(table.get("fresh")).isPresent();
    assertThat(listener.events).last().isEqualTo("removed old v" + v);
  }

  @Test
  void rebindMovesOnlyFromTheExpectedBackend() {
    table.bind("k", "web1");

    Binding moved = table.rebind("k", "web1", "web2", RebindReason.BACKEND_DOWN);
    Binding unchanged = table.rebind("k", "web1", "web3", RebindReason.BACKEND_DOWN);

    assertThat(moved.backendId()).isEqualTo("web2");
    assertThat(unchanged).isEqualTo(moved);
    assertThat(listener.events).last().isEqualTo("rebound k web1->web2 BACKEND_DOWN");
    assertThat(listener.events).filteredOn(e -> e.startsWith("rebound")).hasSize(1);
  }

  @Test
  void rebindOfAnUnknownOrExpiredKeyBindsItAfresh() {
    table.bind("expired", "web1");
    clock.advance(IDLE.plusSeconds(1));

    assertThat(table.rebind("unknown", "web1", "web2", RebindReason.BACKEND_DOWN).backendId()).isEqualTo("web2");
    assertThat(table.rebind("expired", "web1", "web2", RebindReason.BACKEND_DOWN).backendId()).isEqualTo("web2");
    assertThat(listener.events).filteredOn(e -> e.startsWith("rebound")).isEmpty();
    assertThat(listener.events).filteredOn(e -> e.startsWith("bound")).hasSize(3);
  }

  @Test
  void rebindsOnceWhenManyRequestsOfOneUserRace() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 200; round++) {
        String key = "k" + round;
        table.bind(key, "dead");
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Binding>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String target = "web" + t; // each request's selection may pick a different backend
          results.add(pool.submit(() -> {
            start.await();
            return table.rebind(key, "dead", target, RebindReason.BACKEND_DOWN);
          }));
        }
        start.countDown();
        List<String> seen = new ArrayList<>();
        for (Future<Binding> f : results) {
          seen.add(f.get(10, TimeUnit.SECONDS).backendId());
        }
        String winner = table.get(key).orElseThrow().backendId();
        assertThat(winner).isNotEqualTo("dead");
        assertThat(seen).containsOnly(winner);
        assertThat(listener.events).filteredOn(e -> e.startsWith("rebound " + key + " ")).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void applyRemoteKeepsTheHigherVersion() {
    long now = clock.getAsLong();
    table.applyRemote(new Binding("k", "web1", 5, now));

    assertThat(table.applyRemote(new Binding("k", "web2", 4, now + 1000))).isFalse();
    assertThat(table.applyRemote(new Binding("k", "web3", 6, now - 1000))).isTrue();

    assertThat(table.get("k").orElseThrow().backendId()).isEqualTo("web3");
  }

  @Test
  void applyRemoteWithEqualVersionTakesTheLaterLastSeen() {
    long now = clock.getAsLong();
    table.applyRemote(new Binding("k", "web1", 5, now));

    assertThat(table.applyRemote(new Binding("k", "web1", 5, now + 1000))).isTrue();
    assertThat(table.applyRemote(new Binding("k", "web1", 5, now))).isFalse();

    assertThat(table.get("k").orElseThrow().lastSeenMillis()).isEqualTo(now + 1000);
  }

  @Test
  void applyRemoteTieIsBrokenByBackendIdWhateverTheArrivalOrder() {
    long now = clock.getAsLong();
    StickyTable other = StickyTable.local(IDLE, 1000, clock);
    Binding a = new Binding("k", "web-a", 5, now);
    Binding b = new Binding("k", "web-b", 5, now);

    table.applyRemote(a);
    table.applyRemote(b);
    other.applyRemote(b);
    other.applyRemote(a);

    assertThat(table.get("k")).isEqualTo(other.get("k")).map(Binding::backendId).contains("web-b");
  }

  @Test
  void remoteChangesDoNotEchoToListeners() {
    long now = clock.getAsLong();

    table.applyRemote(new Binding("k", "web1", 5, now));
    table.applyRemote(new Binding("k", "web2", 6, now));
    table.applyRemoteRemove("k", 7);

    assertThat(listener.events).isEmpty();
  }

  @Test
  void remoteRemoveDoesNotDeleteANewerLocalBinding() {
    table.applyRemote(new Binding("k", "web1", 5, clock.getAsLong()));
    Binding local = table.bind("k", "web2");

    assertThat(table.applyRemoteRemove("k", 5)).isFalse();

    assertThat(table.get("k")).contains(local);
  }

  @Test
  void remoteRemoveDeletesABindingOfTheSameOrAnOlderVersion() {
    table.applyRemote(new Binding("same", "web1", 5, clock.getAsLong()));
    table.applyRemote(new Binding("older", "web1", 5, clock.getAsLong()));

    assertThat(table.applyRemoteRemove("same", 5)).isTrue();
    assertThat(table.applyRemoteRemove("older", 6)).isTrue();
    assertThat(table.applyRemoteRemove("unknown", 6)).isFalse();

    assertThat(table.size()).isZero();
  }

  @Test
  void localBindAfterARemoteRemoveOutranksIt() {
    table.applyRemote(new Binding("k", "web1", 5, clock.getAsLong()));
    table.applyRemoteRemove("k", 9);

    assertThat(table.bind("k", "web2").version()).isGreaterThan(9);
  }

  @Test
  void fullTableRefusesANewKeyButReturnsItsBindingAndCountsIt() {
    StickyTable small = StickyTable.local(IDLE, 2, clock);
    small.bind("a", "web1");
    small.bind("b", "web1");

    Binding refused = small.bind("c", "web2");

    assertThat(refused.backendId()).isEqualTo("web2");
    assertThat(small.get("c")).isEmpty();
    assertThat(small.size()).isEqualTo(2);
    assertThat(small.rejectedFull()).isEqualTo(1);
  }

  @Test
  void fullTableStillRebindsItsOwnKeys() {
    StickyTable small = StickyTable.local(IDLE, 1, clock);
    small.bind("a", "web1");

    small.bind("a", "web2");
    small.rebind("a", "web2", "web3", RebindReason.BACKEND_DOWN);

    assertThat(small.get("a").orElseThrow().backendId()).isEqualTo("web3");
    assertThat(small.rejectedFull()).isZero();
  }

  @Test
  void fullTableMakesRoomBySweepingIdleBindings() {
    StickyTable small = StickyTable.local(IDLE, 2, clock);
    small.bind("a", "web1");
    small.bind("b", "web1");
    clock.advance(IDLE.plusSeconds(1));

    small.bind("c", "web2");

    assertThat(small.get("c")).isPresent();
    assertThat(small.size()).isEqualTo(1);
    assertThat(small.rejectedFull()).isZero();
  }

  @Test
  void countByBackendCountsLiveBindings() {
    table.bind("a", "web1");
    table.bind("b", "web1");
    clock.advance(IDLE.minusMinutes(1));
    table.bind("c", "web2");
    table.bind("d", "web1");
    clock.advance(Duration.ofMinutes(2)); // a and b are now idle

    assertThat(table.countByBackend()).isEqualTo(Map.of("web1", 1, "web2", 1));
  }

  @Test
  void forEachVisitsLiveBindingsOnly() {
    table.bind("old", "web1");
    clock.advance(IDLE.plusSeconds(1));
    Binding fresh = table.bind("fresh", "web2");

    List<Binding> seen = new ArrayList<>();
    table.forEach(seen::add);

    assertThat(seen).containsExactly(fresh);
  }

  @Test
  void bindingsShareOneInstanceOfEachBackendId() {
    table.bind("a", "web1");
    table.applyRemote(new Binding("b", new String("web1".toCharArray()), 1, clock.getAsLong()));

    assertThat(table.get("b").orElseThrow().backendId()).isSameAs(table.get("a").orElseThrow().backendId());
  }

  @Test
  void keysOfAnyCharactersComeBackIntactFromAWalk() {
    List<String> keys = List.of("c:0123456789abcdef", "i:caf\u00e9", "c:\u20ac\u4e2d", "");
    keys.forEach(k -> table.bind(k, "web1"));

    List<String> walked = new ArrayList<>();
    table.forEach(b -> walked.add(b.key()));

    assertThat(walked).containsExactlyInAnyOrderElementsOf(keys);
    keys.forEach(k -> assertThat(table.get(k)).isPresent());
  }

  @Test
  void refusesANonPositiveIdleTimeoutOrMaxEntries() {
    assertThatThrownBy(() -> StickyTable.local(Duration.ZERO, 10, clock))
        .hasMessage("idleTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> StickyTable.local(IDLE, 0, clock))
        .hasMessage("maxEntries: 0 (expected: >= 1)");
  }
}
