package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.cluster.NodeState;
import io.tandem.testing.Ports;
import io.tandem.testing.TestPair;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tandemctl failover and maintenance against a real pair in one JVM (bind VIP on loopback). */
class TandemctlFailoverTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final String HEARTBEAT = "{interval: 100ms, timeout: 1s}";
  static final String HEALTH = "{interval: 500ms, timeout: 500ms, rise: 1, fall: 3}";
  @TempDir
  Path dir;
  TestPair pair;
  Path token;

  @AfterEach
  void tearDown() throws Exception {
    if (pair != null) {
      pair.close();
    }
  }

  /** lb1 MASTER, lb2 BACKUP in sync, each knowing the other. */
  private void pairUp(int size) throws Exception {
    // Tolerant checks and heartbeats: the machine may be busy, and a pair that flaps for a slow
    // health check would make the operator's moves look wrong.
    pair = new TestPair(dir, size, false, HEARTBEAT, HEALTH);
    pair.start(0);
    await().atMost(WAIT).until(() -> pair.master() == 0);
    for (int i = 1; i < size; i++) {
      pair.start(i);
      int n = i;
      await().atMost(WAIT).until(() -> pair.node(n).cluster().status().state() == NodeState.BACKUP
          && pair.node(0).cluster().peers().containsKey("lb" + (n + 1))
          && pair.node(n).cluster().peers().containsKey("lb1")
          && pair.node(n).cluster().peers().get("lb1").state() == NodeState.MASTER
          && pair.node(0).cluster().peers().get("lb" + (n + 1)).healthy());
    }
    assertThat(pair.master()).isEqualTo(0);
    token = Files.writeString(dir.resolve("admin.token"), TestPair.TOKEN);
  }

  private Ctl ctl(int node) {
    return Ctl.of(pair.node(node).adminPort(), token.toString());
  }

  @Test
  void failoverMovesTheVipToThePeerAndBackAskedOfEitherNode() throws Exception {
    pairUp(2);
    long epoch = pair.node(0).cluster().status().epoch();

    Ctl.Result r = ctl(0).run("failover");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).containsPattern("lb2 holds the VIP now \\(epoch \\d+\\): handed over from lb1 in \\d+ ms");
    assertThat(pair.master()).isEqualTo(1);
    assertThat(pair.node(1).cluster().status().epoch()).isGreaterThan(epoch);
    await().atMost(WAIT).until(() -> pair.holders() == 1 && pair.node(0).cluster().status().state() == NodeState.BACKUP);

    // Asked of the BACKUP: it forwards to the MASTER and waits all the same.
    Ctl.Result back = ctl(0).run("failover", "--to", "lb1", "--timeout", "5s", "--json");
    assertThat(back.code()).as(back.toString()).isZero();
    JsonObject j = new JsonObject(back.out());
    assertThat(j.getString("holder")).isEqualTo("lb1");
    assertThat(j.getString("from")).isEqualTo("lb2");
    assertThat(j.getLong("took_ms")).isBetween(0L, 5_000L);
    assertThat(pair.master()).isEqualTo(0);
    await().atMost(WAIT).until(() -> pair.holders() == 1);

    Ctl.Result status = ctl(1).run("status", "--json");
    assertThat(new JsonObject(status.out()).getString("vip_holder")).isEqualTo("lb1");
  }

  @Test
  void refusesTargetsThatCannotTakeOverWithTheReason() throws Exception {
    pairUp(2);
    Ctl.Result unknown = ctl(1).run("failover", "--to", "lb9");
    assertThat(unknown.code()).as(unknown.toString()).isEqualTo(1);
    assertThat(unknown.err()).contains("unknown node 'lb9' (members: lb1, lb2)", "HTTP 409");

    Ctl.Result self = ctl(0).run("failover", "--to", "lb1");
    assertThat(self.code()).isEqualTo(1);
    assertThat(self.err()).contains("lb1 is this node, which already is MASTER");

    // lb2's data path stuck: it says it is unhealthy (its cluster context still speaks).
    pair.freeze(1, false);
    await().atMost(WAIT).until(() -> !pair.node(0).cluster().peers().get("lb2").healthy());
    Ctl.Result sick = ctl(0).run("failover", "--to", "lb2");
    assertThat(sick.code()).isEqualTo(1);
    assertThat(sick.err()).contains("lb2 is unhealthy");
    Ctl.Result none = ctl(0).run("failover");
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).contains("no other member is healthy, in sync, eligible and reachable: lb2 unhealthy");
    pair.thaw(1);
    await().atMost(WAIT).until(() -> pair.node(0).cluster().peers().get("lb2").healthy());

    // lb2 in maintenance (asked of lb1 for lb2).
    Ctl.Result maint = ctl(0).run("maintenance", "on", "--node", "lb2");
    assertThat(maint.code()).as(maint.toString()).isZero();
    assertThat(maint.out()).contains("lb2: maintenance on: not elected until maintenance off (the VIP is held by lb1)");
    await().atMost(WAIT).until(() -> !pair.node(0).cluster().peers().get("lb2").eligible());
    Ctl.Result inMaint = ctl(0).run("failover", "--to", "lb2");
    assertThat(inMaint.code()).isEqualTo(1);
    assertThat(inMaint.err()).contains("lb2 is in maintenance (not eligible)");
    assertThat(ctl(0).run("maintenance", "off", "--node", "lb2").code()).isZero();
    await().atMost(WAIT).until(() -> pair.node(0).cluster().peers().get("lb2").eligible());

    // lb2 hung as a whole: not heard from, gone after the heartbeat timeout.
    pair.freeze(1, true);
    await().atMost(WAIT).until(() -> {
      Ctl.Result r = ctl(0).run("failover", "--to", "lb2");
      return r.code() == 1 && (r.err().contains("lb2 is not reachable") || r.err().contains("unknown node 'lb2'"));
    });
    pair.thaw(1);

    // No peer at all.
    pair.stop(1);
    await().atMost(WAIT).until(() -> pair.node(0).cluster().members().size() == 1);
    Ctl.Result alone = ctl(0).run("failover");
    assertThat(alone.code()).isEqualTo(1);
    assertThat(alone.err()).contains("no other member to hand over to");
    assertThat(pair.master()).isEqualTo(0);
  }

  @Test
  void exitCodesForBadArgumentsAndUnreachableNodes() throws Exception {
    pairUp(2);
    assertThat(ctl(0).run("failover", "--to").code()).isEqualTo(2);
    Ctl.Result maybe = ctl(0).run("maintenance", "maybe");
    assertThat(maybe.code()).isEqualTo(2);
    assertThat(maybe.err()).contains("on|off");
    assertThat(ctl(0).run("failover", "--timeout", "soon").code()).isEqualTo(2);
    assertThat(ctl(0).run("maintenance").code()).isEqualTo(2);

    Ctl.Result down = Ctl.of(Ports.freePair(1), token.toString()).run("failover");
    assertThat(down.code()).isEqualTo(3);
    assertThat(down.err()).contains("cannot reach the admin API");
    Path wrong = Files.writeString(dir.resolve("wrong.token"), "not-the-token");
    Ctl.Result unauthorized = Ctl.of(pair.node(0).adminPort(), wrong.toString()).run("maintenance", "on");
    assertThat(unauthorized.code()).isEqualTo(3);
    assertThat(unauthorized.err()).contains("refused the token");
    assertThat(pair.master()).isEqualTo(0);

    Ctl.Result unknownNode = ctl(0).run("maintenance", "on", "--node", "lb7");
    assertThat(unknownNode.code()).isEqualTo(1);
    assertThat(unknownNode.err()).contains("unknown node 'lb7'");
  }

  @Test
  void maintenanceHandsTheVipOverAndSurvivesARestart() throws Exception {
    pairUp(2);
    Ctl.Result on = ctl(0).run("maintenance", "on");
    assertThat(on.code()).as(on.toString()).isZero();
    assertThat(on.out()).containsPattern("lb1: maintenance on: handed the VIP over to lb2 in \\d+ ms");
    assertThat(pair.master()).isEqualTo(1);
    assertThat(Files.exists(dir.resolve("state/lb1.maintenance"))).isTrue();
    JsonObject s = new JsonObject(ctl(0).run("status", "--json").out());
    assertThat(s.getBoolean("maintenance")).isTrue();
    assertThat(s.getString("vip_holder")).isEqualTo("lb2");

    // A failover back to lb1 is refused while it is in maintenance.
    Ctl.Result refused = ctl(1).run("failover", "--to", "lb1");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("lb1 is in maintenance");

    // Restarted, lb1 is still in maintenance and stays BACKUP.
    pair.stop(0);
    pair.start(0);
    await().atMost(WAIT).until(() -> pair.node(0).cluster().status().state() == NodeState.BACKUP
        && pair.node(1).cluster().peers().containsKey("lb1"));
    assertThat(pair.node(0).cluster().maintenance()).isTrue();
    assertThat(new JsonObject(ctl(1).run("status", "--json").out()).getJsonArray("members").stream()
        .map(JsonObject.class::cast).filter(m -> m.getString("name").equals("lb1")).findFirst().orElseThrow()
        .getBoolean("maintenance")).isTrue();

    Ctl.Result off = ctl(1).run("maintenance", "off", "--node", "lb1");
    assertThat(off.code()).as(off.toString()).isZero();
    assertThat(off.out()).contains("lb1: maintenance off: it may be elected again");
    assertThat(Files.exists(dir.resolve("state/lb1.maintenance"))).isFalse();
    await().atMost(WAIT).until(() -> pair.node(1).cluster().peers().get("lb1").eligible());
    assertThat(ctl(1).run("failover", "--to", "lb1").code()).isZero();
    assertThat(pair.master()).isEqualTo(0);
  }

  @Test
  void aTargetThatHangsMidHandoffLeavesExactlyOneMaster() throws Exception {
    pairUp(2);
    // lb2 frozen whole: lb1 still counts it alive for up to the heartbeat timeout (500 ms), so it
    // accepts, drains and says READY; lb2 never takes over, and lb1 must end up MASTER again.
    pair.freeze(1, true);
    Ctl.Result r = ctl(0).run("failover", "--to", "lb2", "--timeout", "3s");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).containsAnyOf("handoff to lb2 failed", "lb2 is not reachable");
    await().atMost(WAIT).until(() -> pair.node(0).cluster().status().state() == NodeState.MASTER);
    assertThat(pair.master()).isEqualTo(0);
    assertThat(pair.holders()).isEqualTo(1);
    pair.thaw(1);
    await().atMost(WAIT).until(() -> pair.node(1).cluster().status().state() == NodeState.BACKUP);
    assertThat(pair.master()).isEqualTo(0);
    assertThat(pair.holders()).isEqualTo(1);
  }
}
