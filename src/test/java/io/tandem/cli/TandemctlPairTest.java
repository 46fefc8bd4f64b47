package io.tandem.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.cluster.NodeState;
import io.tandem.testing.TestPair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tandemctl against a real pair in one JVM: each node's status lists both members and who holds the VIP. */
class TandemctlPairTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  @TempDir
  Path dir;
  TestPair pair;

  @AfterEach
  void tearDown() throws Exception {
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void statusListsBothMembersAndTheVipHolder() throws Exception {
    pair = new TestPair(dir, 2, false);
    pair.start(0);
    await().atMost(WAIT).until(() -> pair.master() == 0);
    pair.start(1);
    await().atMost(WAIT).until(() -> pair.node(1).cluster().status().state() == NodeState.BACKUP
        && pair.node(1).cluster().inSync());
    Path token = Files.writeString(dir.resolve("admin.token"), TestPair.TOKEN);
    Ctl backup = Ctl.of(pair.node(1).adminPort(), token.toString());
    await().atMost(WAIT).until(() -> members(backup).size() == 2 && members(backup).getJsonObject(1).getValue("state") != null);

    JsonObject s = new JsonObject(backup.run("status", "--json").out());
    assertThat(s.getString("node")).isEqualTo("lb2");
    assertThat(s.getString("state")).isEqualTo("BACKUP");
    assertThat(s.getBoolean("vip_held")).isFalse();
    assertThat(s.getString("vip")).isEqualTo(pair.vip());
    assertThat(s.getString("vip_driver")).isEqualTo("bind");
    assertThat(s.getBoolean("in_sync")).isTrue();
    assertThat(s.getJsonObject("replication").fieldNames())
        .containsExactly("last_lag_ms", "bytes_sent", "bytes_received", "sequence_gaps");
    JsonArray members = s.getJsonArray("members");
    JsonObject self = members.getJsonObject(0);
    JsonObject peer = members.getJsonObject(1);
    assertThat(self.getString("name")).isEqualTo("lb2");
    assertThat(self.getBoolean("self")).isTrue();
    assertThat(peer.fieldNames()).containsExactly("name", "self", "state", "priority", "epoch", "healthy", "in_sync",
        "vip_held", "maintenance", "usable_backends", "last_heard_ms");
    assertThat(peer.getBoolean("maintenance")).isFalse();
    assertThat(s.getString("vip_holder")).isEqualTo("lb1");
    assertThat(s.getBoolean("maintenance")).isFalse();
    assertThat(peer.getString("name")).isEqualTo("lb1");
    assertThat(peer.getBoolean("self")).isFalse();
    assertThat(peer.getString("state")).isEqualTo("MASTER");
    assertThat(peer.getBoolean("vip_held")).isTrue();
    assertThat(peer.getLong("priority")).isEqualTo(200);

    Ctl.Result human = Ctl.of(pair.node(0).adminPort(), token.toString()).run("status");
    System.out.println(human.out());
    assertThat(human.code()).as(human.toString()).isZero();
    assertThat(human.out()).contains("MASTER, epoch ", "(bind): held here", "(this node)")
        .containsPattern("lb1\\s+MASTER\\s+200").containsPattern("lb2\\s+BACKUP\\s+150").contains(" ago");
  }

  private static JsonArray members(Ctl ctl) {
    Ctl.Result r = ctl.run("status", "--json");
    return r.code() == 0 ? new JsonObject(r.out()).getJsonArray("members") : new JsonArray();
  }
}
