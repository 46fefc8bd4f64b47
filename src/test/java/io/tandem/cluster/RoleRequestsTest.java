package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tandem.cluster.Decision.Action;
import io.tandem.vip.FloatingIp;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Role requests on node a without a cluster: the transport records what a would send, the peers'
 * statuses and the answers are handed in by the test, and a's own election is driven by hand.
 */
class RoleRequestsTest {
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofMillis(20);

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private long nowMillis = 5_000;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Election election = new Election("a", 200, false, Duration.ofSeconds(1), () -> nowMillis);
  private final Map<String, NodeStatus> peers = new ConcurrentHashMap<>();
  private final List<String> members = new CopyOnWriteArrayList<>(List.of("a", "b", "c"));
  private final RecordingTransport transport = new RecordingTransport();
  private final FakeHost host = new FakeHost();
  private final FakeVip vip = new FakeVip();
  private final FakeDrain drain = new FakeDrain();

  @TempDir
  Path dir;

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  private RoleRequests requests(HandoffOrder order, MaintenanceFile file) {
    return new RoleRequests("a", 42, HEARTBEAT_TIMEOUT, election, transport, () -> members, peers,
        new Healthy(), vip, order, drain, file, vertx, nanos::get, host);
  }

  private static NodeStatus status(String name, NodeState state, long epoch, boolean vipHeld) {
    return new NodeStatus(name, 100, state, epoch, epoch, true, true, true, vipHeld, 1, "127.0.0.1:0", "", 1, 0);
  }

  /** Runs {@code r} on the requests' context and waits for it, as every call to them is made. */
  private void onContext(Runnable r) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        r.run();
        done.complete(null);
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    });
    done.get(5, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static RoleRefused refusal(Future<?> f) {
    Throwable t = catchThrowable(() -> await(f));
    assertThat(t).isInstanceOf(ExecutionException.class);
    assertThat(t.getCause()).isInstanceOf(RoleRefused.class);
    return (RoleRefused) t.getCause();
  }

  @Test
  void refusesAFailoverWhenNoMasterIsKnown() {
    RoleRequests r = requests(HandoffOrder.RELEASE_FIRST, null);
    peers.put("b", status("b", NodeState.BACKUP, 0, false));

    RoleRefused e = refusal(r.ask(RoleRequest.Kind.FAILOVER, "c", Duration.ofSeconds(3)));

    assertThat(e.getMessage()).isEqualTo("no MASTER in the view to hand over from");
    assertThat(e.timedOut()).isFalse();
    assertThat(transport.sent).isEmpty();
  }

  @Test
  void refusesMaintenanceOfANodeOutsideTheView() {
    RoleRequests r = requests(HandoffOrder.RELEASE_FIRST, null);

    RoleRefused e = refusal(r.ask(RoleRequest.Kind.MAINTENANCE_ON, "x", Duration.ofSeconds(3)));

    assertThat(e.getMessage()).isEqualTo("unknown node 'x' (members: a, b, c)");
    assertThat(transport.sent).isEmpty();
  }

  @Test
  void sendsAFailoverToThePeerMasterAndCompletesWhenAnotherNodeServes() throws Exception {
    RoleRequests r = requests(HandoffOrder.RELEASE_FIRST, null);
    peers.put("b", status("b", NodeState.MASTER, 1, true));
    peers.put("c", status("c", NodeState.BACKUP, 0, false));

    Future<RoleResult> result = r.ask(RoleRequest.Kind.FAILOVER, "c", Duration.ofSeconds(3));
    RoleRequest q = transport.awaitRequest("b");
    assertThat(q.asker()).isEqualTo("a");
    assertThat(q.id()).isEqualTo("a-42-1");
    assertThat(q.kind()).isEqualTo(RoleRequest.Kind.FAILOVER);
    assertThat(q.node()).isEqualTo("c");
    assertThat(q.timeoutMillis()).isEqualTo(3_000);

    onContext(() -> r.onAck(new RoleAck(q.id(), "b", RoleAck.Outcome.ACCEPTED, "c", 3_020, null)));
    assertThat(host.acts).as("a peer's answer is acted on").isEqualTo(1);
    assertThat(election.handoff()).map(Handoff::to).contains("c");
    onContext(r::checkPending);
    assertThat(result.isComplete()).as("b still serves").isFalse();

    nanos.addAndGet(1_500_000_000L);
    peers.put("b", status("b", NodeState.BACKUP, 1, false));
    peers.put("c", status("c", NodeState.MASTER, 2, true));
    onContext(r::checkPending);

    assertThat(await(result)).isEqualTo(new RoleResult("b", "b", "c", 2, 1_500, null));
  }

  @Test
  void failsWithTheReasonTheMasterRefused() throws Exception {
    RoleRequests r = requests(HandoffOrder.RELEASE_FIRST, null);
    peers.put("b", status("b", NodeState.MASTER, 1, true));

    Future<RoleResult> result = r.ask(RoleRequest.Kind.FAILOVER, "c", Duration.ofSeconds(3));
    RoleRequest q = transport.awaitRequest("b");
    onContext(() -> r.onAck(new RoleAck(q.id(), "b", RoleAck.Outcome.REFUSED, null, 0, "c is unhealthy: no backend")));

    RoleRefused e = refusal(result);
    assertThat(e.getMessage()).isEqualTo("c is unhealthy: no backend");
    assertThat(e.timedOut()).isFalse();
  }

  @Test
  void givesUpWhenTheMasterDoesNotAnswerWithinTheTimeout() {
    RoleRequests r = requests(HandoffOrder.RELEASE_FIRST, null);
    peers.put("b", status("b", NodeState.MASTER, 1, true));

    RoleRefused e = refusal(r.ask(RoleRequest.Kind.FAILOVER, "c", Duration.ofMillis(30)));

    assertThat(e.getMessage()).isEqualTo("no answer from the MASTER within 30ms; the VIP is held by b");
    assertThat(e.timedOut()).isFalse();
  }

  @Test
  void givesUpWhenAnAcceptedHandoffDoesNotCompleteWithinTheTimeout() throws Exception {
    RoleRequests r = requests(HandoffOrder.RELEASE_FIRST, null);
    peers.put("b", status("b", NodeState.MASTER, 1, true));

    // Long enough for the answer to arrive first on a busy machine.
    Future<RoleResult> result = r.ask(RoleRequest.Kind.FAILOVER, "c", Duration.ofSeconds(1));
    RoleRequest q = transport.awaitRequest("b");
    onContext(() -> r.onAck(new RoleAck(q.id(), "b", RoleAck.Outcome.ACCEPTED, "c", 1_020, null)));

    RoleRefused e = refusal(result);
    assertThat(e.getMessage()).isEqualTo("the handoff from b to c did not complete within 1s; the VIP is held by b");
    assertThat(e.timedOut()).isTrue();
  }

  @Test
  void maintenanceOnABackupIsSavedAndDoneAtOnceAndOffRemovesIt() throws Exception {
    MaintenanceFile file = new MaintenanceFile(dir, "a");
    RoleRequests r = requests(HandoffOrder.RELEASE_FIRST, file);
    peers.put("b", status("b", NodeState.MASTER, 3, true));

    RoleResult on = await(r.ask(RoleRequest.Kind.MAINTENANCE_ON, null, Duration.ofSeconds(3)));

    assertThat(on).isEqualTo(new RoleResult("a", null, "b", 3, 0, true));
    assertThat(file.read()).isTrue();
    assertThat(host.eligibility).containsExactly(false);
    assertThat(transport.broadcastAcks()).extracting(RoleAck::outcome).containsExactly(RoleAck.Outcome.DONE);

    RoleResult off = await(r.ask(RoleRequest.Kind.MAINTENANCE_OFF, "a", Duration.ofSeconds(3)));

    assertThat(off.maintenance()).isFalse();
    assertThat(file.read()).isFalse();
    assertThat(host.eligibility).containsExactly(false, true);
  }

  @Test
  void refusesMaintenanceThatCannotBeSaved() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("state"), "");
    MaintenanceFile file = new MaintenanceFile(notADirectory, "a");
    RoleRequests r = requests(HandoffOrder.RELEASE_FIRST, file);

    RoleRefused e = refusal(r.ask(RoleRequest.Kind.MAINTENANCE_ON, null, Duration.ofSeconds(3)));

    assertThat(e.getMessage()).startsWith("a: cannot write " + file.path() + " (node.state-dir): ");
    assertThat(host.eligibility).isEmpty();
    assertThat(transport.broadcastAcks()).extracting(RoleAck::outcome).containsExactly(RoleAck.Outcome.REFUSED);
  }

  @Test
  void releaseFirstHandoffTellsTheTargetOnlyAfterTheRelease() throws Exception {
    aIsMasterWithBackupB();
    RoleRequests r = requests(HandoffOrder.RELEASE_FIRST, null);

    onContext(() -> r.handleRequest(new RoleRequest("b-7-1", "b", RoleRequest.Kind.FAILOVER, "b", 3_000)));
    assertThat(transport.awaitAcks(1)).extracting(RoleAck::outcome).containsExactly(RoleAck.Outcome.ACCEPTED);
    // Quiescing completes on another turn of the context; the drain is then seen empty.
    onContext(() -> { });

    assertThat(election.state()).isEqualTo(NodeState.DRAINING);
    assertThat(election.handoff().orElseThrow().ready()).isTrue();
    assertThat(drain.begun).isTrue();
    assertThat(vip.quiesced).containsExactly(true);
    assertThat(transport.broadcastAcks()).as("no READY while a still holds the VIP").hasSize(1);

    onContext(r::released);

    RoleAck ready = transport.broadcastAcks().get(1);
    assertThat(ready).isEqualTo(new RoleAck("b-7-1", "a", RoleAck.Outcome.READY, "b", 3_020, null));
  }

  @Test
  void aHandoffThatFailsEndsTheDrainAndTellsEveryNode() throws Exception {
    aIsMasterWithBackupB();
    RoleRequests r = requests(HandoffOrder.TAKE_FIRST, null);
    onContext(() -> r.handleRequest(new RoleRequest("b-7-1", "b", RoleRequest.Kind.FAILOVER, "b", 3_000)));
    assertThat(transport.awaitAcks(2)).extracting(RoleAck::outcome)
        .as("take-first: ready at once").containsExactly(RoleAck.Outcome.ACCEPTED, RoleAck.Outcome.READY);

    onContext(() -> r.handoffEnded("handoff to b failed: b is gone"));

    assertThat(drain.ended).isTrue();
    assertThat(vip.quiesced).containsExactly(false);
    assertThat(transport.broadcastAcks().get(2))
        .isEqualTo(new RoleAck("b-7-1", "a", RoleAck.Outcome.ABORTED, null, 0, "handoff to b failed: b is gone"));
  }

  /** a is MASTER holding the VIP, and has heard b, a healthy BACKUP, just now. */
  private void aIsMasterWithBackupB() {
    election.view(Set.of("a", "b"), false);
    election.local(true, true, true, "");
    election.decide();
    election.peerStatus(status("b", NodeState.BACKUP, 0, false));
    assertThat(election.decide().action()).isEqualTo(Action.BECOME_MASTER);
    election.vipAcquired(true, null);
    assertThat(election.decide().action()).isEqualTo(Action.KEEP);
    assertThat(election.state()).isEqualTo(NodeState.MASTER);
  }

  private final class FakeHost implements RoleRequests.Host {
    volatile int acts;
    final List<Boolean> eligibility = new CopyOnWriteArrayList<>();

    @Override
    public void onContext(Runnable task) {
      context.runOnContext(v -> task.run());
    }

    @Override
    public boolean inSync() {
      return true;
    }

    @Override
    public boolean eligible() {
      return true;
    }

    @Override
    public void setEligible(boolean value) {
      eligibility.add(value);
    }

    @Override
    public void markIneligible() {
      eligibility.add(false);
    }

    @Override
    public void act() {
      acts++;
    }

    @Override
    public void noteState(String reason) {}

    @Override
    public void broadcastStatus() {}
  }

  private static final class RecordingTransport implements ClusterTransport {
    record Sent(String to, byte[] payload) {}

    final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void broadcast(byte[] payload) {
      sent.add(new Sent(null, payload));
    }

    @Override
    public void send(String member, byte[] payload) {
      sent.add(new Sent(member, payload));
    }

    RoleRequest awaitRequest(String to) {
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !sent.isEmpty());
      Sent s = sent.get(0);
      assertThat(s.to()).isEqualTo(to);
      return WireCodec.decodeRoleRequest(s.payload());
    }

    List<RoleAck> awaitAcks(int n) {
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> broadcastAcks().size() >= n);
      return broadcastAcks();
    }

    List<RoleAck> broadcastAcks() {
      List<RoleAck> acks = new ArrayList<>();
      for (Sent s : sent) {
        if (s.to() == null) {
          acks.add(WireCodec.decodeRoleAck(s.payload()));
        }
      }
      return acks;
    }
  }

  private static final class FakeVip implements FloatingIp {
    final List<Boolean> quiesced = new CopyOnWriteArrayList<>();

    @Override
    public Future<Void> quiesce(boolean on) {
      quiesced.add(on);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> acquire(long epoch) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> release(long epoch) {
      return Future.succeededFuture();
    }

    @Override
    public boolean held() {
      return true;
    }

    @Override
    public String describe() {
      return "fake";
    }
  }

  private static final class FakeDrain implements DataPathDrain {
    volatile boolean begun;
    volatile boolean ended;

    @Override
    public void begin() {
      begun = true;
    }

    @Override
    public void end() {
      ended = true;
    }

    @Override
    public int inFlight() {
      return 0;
    }
  }

  private static final class Healthy implements LocalHealth {
    @Override
    public String problem() {
      return null;
    }

    @Override
    public int usableBackends() {
      return 1;
    }
  }
}
