package io.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.backend.AdminState;
import io.tandem.backend.BackendState;
import io.tandem.cluster.NodeState;
import io.tandem.testing.Http;
import io.tandem.testing.TestPair;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's drain / maint / enable holds on every node, across a failover and for a late joiner. */
class AdminStateSyncTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  @TempDir
  Path dir;
  @AutoClose
  TestPair pair;
  final Http http = new Http();

  AdminState admin(int node, String backend) {
    return pair.node(node).pool().byId(backend).orElseThrow().adminState();
  }

  @Test
  void aDrainOnTheMasterHoldsAfterFailoverAndReachesALateJoiner() throws Exception {
    pair = new TestPair(dir, 3, false);
    pair.start(0);
    await().atMost(WAIT).until(() -> pair.master() == 0);
    pair.start(1);
    await().atMost(WAIT).until(() -> pair.node(1).cluster().inSync()
        && pair.node(1).cluster().status().state() == NodeState.BACKUP);

    assertThat(pair.node(0).pool().setAdminState("web1", AdminState.DRAIN)).isTrue();
    await().atMost(WAIT).until(() -> admin(1, "web1") == AdminState.DRAIN);
    assertThat(admin(1, "web2")).isEqualTo(AdminState.ENABLED);

    pair.crash(0);
    await().atMost(WAIT).until(() -> pair.master() == 1);
    assertThat(admin(1, "web1")).isEqualTo(AdminState.DRAIN);
    assertThat(pair.node(1).pool().byId("web1").orElseThrow().state()).isEqualTo(BackendState.DRAIN);
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = http.post(pair.vipUrl("/login"), "");
      assertThat(r.statusCode()).isEqualTo(200);
      placed.add(r.headers().firstValue("X-Backend").orElseThrow());
    }
    assertThat(placed).doesNotContain("web1").hasSize(10);

    // A node started later adopts the cluster's states...
    pair.start(2);
    await().atMost(WAIT).until(() -> admin(2, "web1") == AdminState.DRAIN);
    // ...and follows a change made on the new MASTER.
    assertThat(pair.node(1).pool().setAdminState("web1", AdminState.ENABLED)).isTrue();
    assertThat(pair.node(1).pool().setAdminState("web3", AdminState.MAINT)).isTrue();
    await().atMost(WAIT).until(() -> admin(2, "web1") == AdminState.ENABLED && admin(2, "web3") == AdminState.MAINT);
  }
}
