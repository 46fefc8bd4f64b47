package io.tandem.sticky;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BindingIndexTest {
  private final BindingIndex index = new BindingIndex();

  @Test
  void agreesWithAHashMapThroughGrowthAndBackwardShiftDeletes() {
    Map<String, StoredBinding> model = new HashMap<>();
    SplittableRandom random = new SplittableRandom(11);
    for (int step = 0; step < 200_000; step++) {
      // Few enough keys that they collide, are removed and come back while segments grow.
      String key = "c:" + random.nextInt(20_000);
      switch (random.nextInt(4)) {
        case 0, 1 -> {
          StoredBinding b = StoredBinding.of(key, "web1", step, step);
          assertThat(index.putIfAbsent(key, b)).isEqualTo(model.putIfAbsent(key, b) == null);
        }
        case 2 -> assertThat(index.remove(key)).isSameAs(model.remove(key));
        default -> {
          StoredBinding cur = model.get(key);
          if (cur != null) {
            StoredBinding next = cur.with("web2", step, step);
            assertThat(index.replace(key, cur, next)).isTrue();
            model.put(key, next);
          }
        }
      }
    }
    assertThat(index.size()).isEqualTo(model.size());
    model.forEach((key, b) -> assertThat(index.get(key)).isSameAs(b));
    for (int k = 0; k < 20_000; k++) {
      assertThat(index.get("c:" + k)).isSameAs(model.get("c:" + k));
    }
    Set<String> walked = new HashSet<>();
    index.forEach(b -> walked.add(b.key()));
    assertThat(walked).isEqualTo(model.keySet());
  }

  @Test
  void keysWithEqualHashesAreKeptApart() {
    // "Aa" and "BB" have the same String hash, so they share a home slot.
    StoredBinding aa = StoredBinding.of("Aa", "web1", 1, 0);
    StoredBinding bb = StoredBinding.of("BB", "web2", 2, 0);
    index.putIfAbsent("Aa", aa);
    index.putIfAbsent("BB", bb);

    assertThat(index.remove("Aa")).isSameAs(aa);
    assertThat(index.get("BB")).isSameAs(bb); // shifted back into the freed home slot
    assertThat(index.get("Aa")).isNull();
  }

  @Test
  void keysBeyondLatin1RoundTripAndDoNotMatchTheirBytesReadAsLatin1() {
    String wide = "\u0100";
    String sameBytes = "\u0001\u0000";
    index.putIfAbsent(wide, StoredBinding.of(wide, "web1", 1, 0));
    index.putIfAbsent("c:caf\u00e9", StoredBinding.of("c:caf\u00e9", "web1", 2, 0));
    index.putIfAbsent("c:\u20ac\u00e9", StoredBinding.of("c:\u20ac\u00e9", "web1", 3, 0));

    assertThat(index.get(sameBytes)).isNull();
    assertThat(index.get(wide).key()).isEqualTo(wide);
    assertThat(index.get("c:caf\u00e9").key()).isEqualTo("c:caf\u00e9");
    assertThat(index.get("c:\u20ac\u00e9").key()).isEqualTo("c:\u20ac\u00e9");
    assertThat(index.get("c:\u20ac\u00e9").keyHash()).isEqualTo("c:\u20ac\u00e9".hashCode());
  }

  @Test
  void replaceAndConditionalRemoveActOnlyOnTheExpectedBinding() {
    StoredBinding first = StoredBinding.of("k", "web1", 1, 0);
    StoredBinding second = first.with("web2", 2, 0);
    index.putIfAbsent("k", first);

    assertThat(index.putIfAbsent("k", second)).isFalse();
    assertThat(index.replace("k", second, first)).isFalse();
    assertThat(index.replace("k", first, second)).isTrue();
    assertThat(index.remove("k", first)).isFalse();
    assertThat(index.get("k")).isSameAs(second);
    assertThat(index.remove("k", second)).isTrue();
    assertThat(index.size()).isZero();
  }

  @Test
  void readersNeverMissAKeyWhileOtherKeysAreAddedAndRemoved() throws Exception {
    int stable = 2_000;
    for (int k = 0; k < stable; k++) {
      index.putIfAbsent("s" + k, StoredBinding.of("s" + k, "web1", k, 0));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> readers = new ArrayList<>();
      Future<?> churn = pool.submit(() -> {
        // Growth and backward shifts move the stable keys around under the readers.
        for (int round = 0; round < 10; round++) {
          for (int k = 0; k < 20_000; k++) {
            index.putIfAbsent("t" + k, StoredBinding.of("t" + k, "web2", k, 0));
          }
          for (int k = 0; k < 20_000; k++) {
            index.remove("t" + k);
          }
        }
      });
      for (int r = 0; r < 3; r++) {
        readers.add(pool.submit(() -> {
          int misses = 0;
          while (!churn.isDone()) {
            for (int k = 0; k < stable; k++) {
              if (index.get("s" + k) == null) {
                misses++;
              }
            }
          }
          return misses;
        }));
      }
      churn.get(60, TimeUnit.SECONDS);
      for (Future<Integer> r : readers) {
        assertThat(r.get(10, TimeUnit.SECONDS)).isZero();
      }
      assertThat(index.size()).isEqualTo(stable);
    } finally {
      pool.shutdownNow();
    }
  }
}
