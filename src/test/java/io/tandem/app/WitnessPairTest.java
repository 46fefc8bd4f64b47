package io.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.cluster.NodeState;
import io.tandem.cluster.NodeStatus;
import io.tandem.testing.Http;
import io.tandem.testing.TestPair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real balancers and a real witness in one JVM, on loopback: the majority rule and the table on join. */
class WitnessPairTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  // Slower than the pair tests' figures: these tests are about the majority rule, and must not
  // flap when the machine is busy (a false suspicion or a failed health check is another test).
  static final String HEARTBEAT = "{interval: 200ms, timeout: 1500ms}";
  static final String HEALTH = "{interval: 300ms, timeout: 300ms, rise: 1, fall: 5}";
  @TempDir
  Path dir;
  @AutoClose
  TestPair pair;
  final Http http = new Http();

  NodeStatus status(int i) {
    return pair.node(i).cluster().status();
  }

  /** Witness, lb1, lb2 started in this order; lb1 MASTER, lb2 BACKUP in sync. */
  void startAll() throws Exception {
    pair = new TestPair(dir, 2, false, HEARTBEAT).health(HEALTH).withWitness();
    pair.startWitness();
    pair.start(0);
    await().atMost(WAIT).until(() -> pair.master() == 0);
    pair.start(1);
    await().atMost(WAIT).until(() -> status(1).state() == NodeState.BACKUP && pair.node(1).cluster().inSync()
        && pair.node(1).cluster().peers().size() == 2);
  }

  @Test
  void aLoneBalancerWaitsForTheWitness() throws Exception {
    pair = new TestPair(dir, 2, false, HEARTBEAT).health(HEALTH).withWitness();
    pair.start(0);
    await().atMost(WAIT).until(() -> status(0).reason().equals("no majority: sees 1 of 3 voters"));
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> pair.master() == -1);

    pair.startWitness();
    await().atMost(WAIT).until(() -> pair.master() == 0);
  }

  @Test
  void aBalancerCutOffFromBothStepsDownAndThePeerWithTheWitnessTakesOver() throws Exception {
    startAll();
    List<String> users = pair.loginUsers(10);
    await().atMost(WAIT).until(() -> pair.node(1).table().size() >= 10);
    AtomicInteger maxHolders = new AtomicInteger();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watch = new Thread(() -> {
      while (watching.get()) {
        maxHolders.accumulateAndGet(pair.holders(), Math::max);
      }
    });
    watch.start();
    try {
      long cut = System.nanoTime();
      pair.node(0).cluster().isolate(true);
      await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> !pair.node(0).vip().held());
      long released = (System.nanoTime() - cut) / 1_000_000;
      await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> pair.master() == 1);
      System.out.println("cut off -> lb1 released the VIP: " + released + " ms; -> lb2 MASTER: "
          + (System.nanoTime() - cut) / 1_000_000 + " ms");
      assertThat(status(0).state()).isEqualTo(NodeState.BACKUP);
      assertThat(status(0).reason()).isEqualTo("no majority: sees 1 of 3 voters");
      assertThat(pair.node(0).vip().held()).isFalse();
      pair.assertCountsContinue(users, 1);

      // Cut off, lb1 stays out: 1 of 3 is no majority, however long it waits.
      await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> pair.master() == 1);

      pair.node(0).cluster().isolate(false);
      await().atMost(WAIT).until(() -> status(0).state() == NodeState.BACKUP && status(0).reason().equals("backup"));
      await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> pair.master() == 1);
    } finally {
      watching.set(false);
      watch.join();
    }
    assertThat(maxHolders.get()).isLessThanOrEqualTo(1);
    pair.assertCountsContinue(users, 2);
  }

  @Test
  void withTheWitnessDownThePairRunsOnTwoOfThree() throws Exception {
    startAll();
    pair.stopWitness();
    await().atMost(WAIT).until(() -> pair.node(0).cluster().members().size() == 2);
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> pair.master() == 0);
    assertThat(status(1).state()).isEqualTo(NodeState.BACKUP);

    // With the witness down too, the survivor of a crash is 1 of 3: it must not take the VIP.
    pair.crash(0);
    await().atMost(WAIT).until(() -> status(1).reason().equals("no majority: sees 1 of 3 voters"));
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> pair.holders() == 0);
  }

  @Test
  void aJoiningBalancerGetsTheTableFromABalancerEvenWhenTheWitnessCoordinates() throws Exception {
    pair = new TestPair(dir, 2, false, HEARTBEAT).health(HEALTH).withWitness();
    pair.startWitness(); // first: the coordinator, with no table to give
    pair.start(0);
    await().atMost(WAIT).until(() -> pair.master() == 0);
    assertThat(pair.node(0).cluster().members().get(0)).isEqualTo("witness");
    List<String> users = pair.loginUsers(20);
    pair.assertCountsContinue(users, 1);

    pair.start(1); // in sync when start completes: the table came with the join
    assertThat(pair.node(1).cluster().inSync()).isTrue();
    assertThat(pair.node(1).table().size()).isGreaterThanOrEqualTo(20);

    pair.crash(0);
    await().atMost(WAIT).pollInterval(Duration.ofMillis(5)).until(() -> pair.master() == 1);
    pair.assertCountsContinue(users, 2);
  }

  @Test
  void theStatusShowsTheWitnessAndTheQuorum() throws Exception {
    startAll();
    await().atMost(WAIT).until(() -> pair.node(0).cluster().peers().containsKey("witness"));
    HttpResponse<String> r = http.get("http://127.0.0.1:" + pair.node(0).adminPort() + "/api/status",
        "Authorization", "Bearer " + TestPair.TOKEN);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject s = new JsonObject(r.body());
    assertThat(s.getJsonObject("quorum")).isEqualTo(new JsonObject().put("voters", 3).put("majority", 2));
    JsonArray members = s.getJsonArray("members");
    JsonObject w = members.stream().map(JsonObject.class::cast).filter(m -> m.getString("name").equals("witness"))
        .findFirst().orElseThrow();
    assertThat(w.getString("role")).isEqualTo("witness");
    assertThat(w.getString("state")).isEqualTo("WITNESS");
    assertThat(w.getBoolean("vip_held")).isFalse();
    assertThat(members.stream().map(JsonObject.class::cast).filter(m -> m.getString("role").equals("balancer"))
        .count()).isEqualTo(2);
    assertThat(pair.witness().maxEpochSeen()).isEqualTo(1);
  }
}
