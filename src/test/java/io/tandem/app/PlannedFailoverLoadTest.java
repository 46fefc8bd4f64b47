package io.tandem.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tandem.cluster.NodeState;
import io.tandem.cluster.RoleResult;
import io.tandem.drill.DrillReport;
import io.tandem.drill.SessionLoad;
import io.tandem.testing.TestPair;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planned handoffs back and forth under a client load through the VIP (bind driver, loopback): no
 * session is lost and at most a few requests fail. Every request of the load is a new connection
 * (no keep-alive), the worst case for a listener that closes: the target binds beside the holder
 * (SO_REUSEPORT) before the holder stops accepting. Prints the handoff times and the longest stall.
 */
class PlannedFailoverLoadTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final int HANDOFFS = 6;
  @TempDir
  Path dir;
  TestPair pair;
  Vertx clients;

  @AfterEach
  void tearDown() throws Exception {
    if (clients != null) {
      clients.close().await(10, TimeUnit.SECONDS);
    }
    if (pair != null) {
      pair.close();
    }
  }

  @Test
  void handoffsUnderLoadLoseNoRequestAndNoSession() throws Exception {
    pair = new TestPair(dir, 2, false, "{interval: 200ms, timeout: 3s}",
        "{interval: 500ms, timeout: 500ms, rise: 1, fall: 3}");
    pair.start(0);
    await().atMost(WAIT).until(() -> pair.master() == 0);
    pair.start(1);
    await().atMost(WAIT).until(() -> pair.node(1).cluster().status().state() == NodeState.BACKUP
        && pair.node(1).cluster().peers().containsKey("lb1") && pair.node(0).cluster().peers().containsKey("lb2")
        && pair.node(0).cluster().peers().get("lb2").healthy());

    clients = Vertx.vertx();
    SessionLoad load = new SessionLoad(clients, "127.0.0.1", pair.vipPort(), 20, Duration.ofSeconds(6 + 2 * HANDOFFS),
        2_000_000, Duration.ofMillis(2), Duration.ofSeconds(3));
    Future<DrillReport> running = load.run();
    Thread.sleep(2_000);
    List<Long> took = new ArrayList<>();
    for (int i = 0; i < HANDOFFS; i++) {
      int from = pair.master();
      assertThat(from).as("one MASTER before handoff " + i).isIn(0, 1);
      String to = "lb" + (2 - from);
      // Asked of the node that is not MASTER half of the time: it forwards.
      RoleResult r = pair.node(i % 2).cluster().failover(to, Duration.ofSeconds(5)).await(15, TimeUnit.SECONDS);
      assertThat(r.holder()).isEqualTo(to);
      took.add(r.tookMillis());
      await().atMost(WAIT).until(() -> pair.holders() == 1);
      Thread.sleep(1_000);
    }
    DrillReport report = running.await(60, TimeUnit.SECONDS);
    took.sort(null);
    System.out.printf("planned handoffs under load: %d handoffs, took %s ms (median %d), %s%n", HANDOFFS, took,
        took.get(took.size() / 2), report.toJson().encode());
    assertThat(report.requests()).isGreaterThan(500);
    // No session is ever lost: the sticky table is the same on both nodes.
    assertThat(report.sessionsKept()).as(report.toJson().encode()).isEqualTo(20);
    assertThat(report.rebound()).isZero();
    // Every request is a new connection; the few that land in the old holder's accept queue as it
    // closes (reset unless net.ipv4.tcp_migrate_req=1) or reach it in the instant Vert.x shuts its
    // children down fail. Measured 0-6 of 13k-50k requests on a loaded 2-core machine.
    assertThat(report.failed()).as(report.toJson().encode()).isLessThanOrEqualTo(Math.max(10, report.requests() / 100));
  }
}
