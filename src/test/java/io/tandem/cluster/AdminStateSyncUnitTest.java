package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.backend.AdminState;
import io.tandem.backend.BackendPool;
import io.tandem.config.BackendConfig;
import io.tandem.config.PassiveConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The version rules of {@link AdminStateSync} over a fake transport that queues every broadcast. */
class AdminStateSyncUnitTest {
  private static final long NOW = 1_700_000_000_000L;

  /** Queues each node's broadcasts until {@link #deliver}; counts what went out. */
  static final class Net {
    final Map<String, AdminStateSync> nodes = new LinkedHashMap<>();
    final Map<String, BackendPool> pools = new LinkedHashMap<>();
    final List<String[]> queue = new ArrayList<>(); // {sender}
    final List<byte[]> payloads = new ArrayList<>();
    int sent;

    AdminStateSync join(String name) {
      BackendPool pool = BackendPool.create(List.of(backend("web1"), backend("web2"), backend("web3")),
          new PassiveConfig(0, Duration.ofSeconds(10), Duration.ofMinutes(5)), () -> 0);
      ClusterTransport t = new ClusterTransport() {
        @Override
        public void broadcast(byte[] payload) {
          sent++;
          queue.add(new String[] {name});
          payloads.add(payload);
        }

        @Override
        public void send(String member, byte[] payload) {
          throw new UnsupportedOperationException();
        }
      };
      AdminStateSync s = new AdminStateSync(name, pool, t, () -> NOW);
      nodes.put(name, s);
      pools.put(name, pool);
      return s;
    }

    /** Delivers everything queued (and what that causes) to every other node; returns how many. */
    int deliver() {
      int n = 0;
      while (!queue.isEmpty()) {
        String sender = queue.remove(0)[0];
        byte[] p = payloads.remove(0);
        for (Map.Entry<String, AdminStateSync> e : nodes.entrySet()) {
          if (!e.getKey().equals(sender)) {
            assertThat(e.getValue().onMessage(p)).isTrue();
          }
        }
        n++;
      }
      return n;
    }

    AdminState admin(String node, String backend) {
      return pools.get(node).byId(backend).orElseThrow().adminState();
    }
  }

  static BackendConfig backend(String id) {
    return new BackendConfig(id, URI.create("http://127.0.0.1:9000"), 1);
  }

  @Test
  void aLocalChangeReachesThePeerWithoutEchoing() {
    Net net = new Net();
    net.join("lb1");
    net.join("lb2");

    net.pools.get("lb1").setAdminState("web1", AdminState.DRAIN);

    assertThat(net.sent).isEqualTo(1);
    assertThat(net.deliver()).isEqualTo(1); // the peer applied it and sent nothing back
    assertThat(net.sent).isEqualTo(1);
    assertThat(net.admin("lb2", "web1")).isEqualTo(AdminState.DRAIN);
    assertThat(net.admin("lb2", "web2")).isEqualTo(AdminState.ENABLED);
    assertThat(net.nodes.get("lb2").entries().get("web1"))
        .isEqualTo(new BackendStates.Entry("web1", AdminState.DRAIN, 1, "lb1"));
  }

  @Test
  void aChangeMadeAfterHearingAnotherWinsOnEveryNode() {
    Net net = new Net();
    net.join("lb1");
    net.join("lb2");
    net.pools.get("lb1").setAdminState("web1", AdminState.DRAIN);
    net.deliver();

    // lb2 (the lower name, so it would lose a tie) enables after seeing the drain: version 2.
    net.pools.get("lb2").setAdminState("web1", AdminState.ENABLED);
    net.deliver();

    assertThat(net.admin("lb1", "web1")).isEqualTo(AdminState.ENABLED);
    assertThat(net.admin("lb2", "web1")).isEqualTo(AdminState.ENABLED);
    assertThat(net.nodes.get("lb1").entries().get("web1").version()).isEqualTo(2);
  }

  @Test
  void anOlderStateIsIgnored() {
    Net net = new Net();
    AdminStateSync lb1 = net.join("lb1");
    net.pools.get("lb1").setAdminState("web1", AdminState.MAINT);
    net.pools.get("lb1").setAdminState("web1", AdminState.DRAIN); // version 2

    int adopted = lb1.apply(new BackendStates("lb9", NOW,
        List.of(new BackendStates.Entry("web1", AdminState.ENABLED, 1, "lb9"))));

    assertThat(adopted).isZero();
    assertThat(net.admin("lb1", "web1")).isEqualTo(AdminState.DRAIN);
    // The same entry again changes nothing either.
    assertThat(lb1.apply(new BackendStates("lb9", NOW,
        List.of(new BackendStates.Entry("web1", AdminState.DRAIN, 2, "lb1"))))).isZero();
  }

  @Test
  void concurrentChangesWithEqualVersionsEndTheSameEverywhere() {
    Net net = new Net();
    net.join("lb1");
    net.join("lb2");
    net.pools.get("lb1").setAdminState("web1", AdminState.DRAIN); // version 1 at lb1
    net.pools.get("lb2").setAdminState("web1", AdminState.MAINT); // version 1 at lb2, concurrently

    net.deliver();

    // Tie on version 1: the higher origin name (lb2) wins on both.
    assertThat(net.admin("lb1", "web1")).isEqualTo(AdminState.MAINT);
    assertThat(net.admin("lb2", "web1")).isEqualTo(AdminState.MAINT);
    assertThat(net.sent).isEqualTo(2);
  }

  @Test
  void aLateJoinerAdoptsTheStatesFromARebroadcast() {
    Net net = new Net();
    AdminStateSync lb1 = net.join("lb1");
    net.pools.get("lb1").setAdminState("web1", AdminState.DRAIN);
    net.pools.get("lb1").setAdminState("web3", AdminState.MAINT);
    net.deliver(); // nobody there yet

    net.join("lb3");
    lb1.broadcast();
    net.deliver();

    assertThat(net.admin("lb3", "web1")).isEqualTo(AdminState.DRAIN);
    assertThat(net.admin("lb3", "web3")).isEqualTo(AdminState.MAINT);
    assertThat(net.admin("lb3", "web2")).isEqualTo(AdminState.ENABLED);
    // Its next change outranks what it learned (Lamport clock), so it wins on lb1.
    net.pools.get("lb3").setAdminState("web1", AdminState.ENABLED);
    net.deliver();
    assertThat(net.admin("lb1", "web1")).isEqualTo(AdminState.ENABLED);
  }

  @Test
  void aNodeWithNothingToTellSendsNothingAndUnknownBackendsAreKeptButHarmless() {
    Net net = new Net();
    AdminStateSync lb1 = net.join("lb1");
    lb1.broadcast();
    assertThat(net.sent).isZero();

    assertThat(lb1.apply(new BackendStates("lb2", NOW,
        List.of(new BackendStates.Entry("web9", AdminState.DRAIN, 4, "lb2"))))).isEqualTo(1);
    assertThat(lb1.entries()).containsKey("web9");
    net.pools.get("lb1").setAdminState("web2", AdminState.DRAIN);
    assertThat(lb1.entries().get("web2").version()).isEqualTo(5);
  }

  @Test
  void otherMessageTypesAreLeftToTheDispatcher() {
    Net net = new Net();
    AdminStateSync lb1 = net.join("lb1");
    assertThat(lb1.onMessage(WireCodec.encodeStatus(WireCodecTest.status(NodeState.MASTER)))).isFalse();
  }
}
