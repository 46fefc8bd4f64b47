package io.tandem.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.EventExecutor;
import io.tandem.admin.AdminToken;
import io.tandem.app.TandemNode;
import io.tandem.app.Transports;
import io.tandem.cluster.ClusterKey;
import io.tandem.cluster.NodeState;
import io.tandem.cluster.WitnessNode;
import io.tandem.config.ConfigLoader;
import io.tandem.config.TandemConfig;
import io.tandem.config.WitnessConfig;
import io.tandem.demo.DemoBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * Two or three real nodes in one JVM, each on its own Vert.x (as separate processes would be),
 * with real JGroups channels on loopback, real demo backends and a VIP by the bind driver.
 */
public final class TestPair implements AutoCloseable {
  public static final String TOKEN = TestNode.TOKEN;

  private final Path dir;
  private final Vertx backendsVertx = Vertx.vertx();
  private final List<DemoBackend> backends = new ArrayList<>();
  private final List<Integer> clusterPorts = new ArrayList<>();
  private final List<Vertx> vertxes = new ArrayList<>();
  private final List<TandemNode> nodes = new ArrayList<>();
  private final List<CountDownLatch> freezes = new ArrayList<>();
  private final Http http = new Http();
  private final int vipPort = Ports.freePair(1);
  private final int size;
  private final boolean preempt;
  private final String heartbeat;
  private int witnessPort = -1;
  private String health = "{interval: 100ms, timeout: 100ms, rise: 1, fall: 2}";
  private WitnessNode witness;

  public TestPair(Path dir, int size, boolean preempt) throws Exception {
    this(dir, size, preempt, "{interval: 100ms, timeout: 500ms}");
  }

  public TestPair(Path dir, int size, boolean preempt, String heartbeat) throws Exception {
    this(dir, size, preempt, heartbeat, "{interval: 100ms, timeout: 100ms, rise: 1, fall: 2}");
  }

  /** With these {@code health:} settings (tests of operator moves want a pair that does not flap under load). */
  public TestPair(Path dir, int size, boolean preempt, String heartbeat, String health) throws Exception {
    this.health = health;
    this.dir = dir;
    this.size = size;
    this.preempt = preempt;
    this.heartbeat = heartbeat;
    ClusterKey.generate(dir.resolve("cluster.p12"));
    for (int i = 0; i < 3; i++) {
      DemoBackend b = new DemoBackend(backendsVertx, "web" + (i + 1));
      b.start("127.0.0.1", 0).await(10, TimeUnit.SECONDS);
      backends.add(b);
    }
    for (int i = 0; i < size; i++) {
      clusterPorts.add(Ports.freePair(100, portsHandedOut()));
      nodes.add(null);
      vertxes.add(null);
      freezes.add(null);
    }
  }

  public String vip() {
    return "127.0.0.1:" + vipPort;
  }

  public int vipPort() {
    return vipPort;
  }

  /** A URL on the VIP. */
  public String vipUrl(String path) {
    return "http://" + vip() + path;
  }

  /** Logs {@code n} users in through the VIP, each to a new session; their cookies. */
  public List<String> loginUsers(int n) throws Exception {
    List<String> cookies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<String> r = http.post(vipUrl("/login"), "");
      assertThat(r.statusCode()).isEqualTo(200);
      cookies.add(Http.cookies(r));
    }
    return cookies;
  }

  /** Every user's next count goes on from {@code expected} (no session lost). */
  public void assertCountsContinue(List<String> cookies, int expected) throws Exception {
    for (String c : cookies) {
      HttpResponse<String> r = http.get(vipUrl("/counter"), "Cookie", c);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(new JsonObject(r.body()).getInteger("count")).isEqualTo(expected);
    }
  }

  /** Node i (0-based) is named lb{i+1}; lb1 has the highest priority. */
  public String config(int i, Path keyFile) {
    String peers = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(", "));
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < backends.size(); k++) {
      b.append("  - {id: web").append(k + 1).append(", url: \"http://127.0.0.1:").append(backends.get(k).port())
          .append("\"}\n");
    }
    return "node: {name: lb" + (i + 1) + ", priority: " + (200 - 50 * i) + ", warm-up: 30, state-dir: \"" + dir.resolve("state")
        + "\"}\n"
        + "listen:\n  - address: 127.0.0.1:0\n"
        + "backends:\n" + b
        + "health: " + health + "\n"
        + "sticky: {mode: learn}\n"
        + "admin: {address: 127.0.0.1:0}\n"
        + "cluster:\n  bind: 127.0.0.1:" + clusterPorts.get(i) + "\n  peers: [" + peers + "]\n"
        + "  key-file: " + keyFile + "\n  preempt: " + preempt + "\n  heartbeat: " + heartbeat + "\n"
        + (witnessPort < 0 ? "" : "  witness: 127.0.0.1:" + witnessPort + "\n")
        + "vip: {driver: bind, address: " + vip() + "}\n";
  }

  /**
   * Ports given out but maybe not bound yet: the VIP's (bound only once a MASTER is elected) and
   * each member's cluster port and its FD_SOCK2 port (+100). A free-port check alone could hand
   * one out twice.
   */
  private java.util.Set<Integer> portsHandedOut() {
    java.util.Set<Integer> taken = new java.util.HashSet<>(List.of(vipPort, vipPort + 1));
    for (int c : clusterPorts) {
      taken.addAll(List.of(c, c + 100));
    }
    return taken;
  }

  /** The nodes' {@code health:} section (call before starting any node). */
  public TestPair health(String yaml) {
    health = yaml;
    return this;
  }

  /** Gives the pair a witness (call before starting any node): every balancer then needs a majority. */
  public TestPair withWitness() {
    witnessPort = Ports.freePair(100, portsHandedOut());
    return this;
  }

  /** The witness's config, as `tandem witness` reads it. */
  public String witnessConfig() {
    String peers = clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(", "));
    return "role: witness\nnode: {name: witness}\n"
        + "cluster:\n  bind: 127.0.0.1:" + witnessPort + "\n  peers: [" + peers + "]\n"
        + "  key-file: " + dir.resolve("cluster.p12") + "\n  heartbeat: " + heartbeat + "\n";
  }

  /** Starts the witness (see {@link #withWitness}) and waits until it has joined. */
  public WitnessNode startWitness() throws Exception {
    WitnessConfig c = new ConfigLoader().parseWitness(witnessConfig(), "witness.yaml", dir);
    witness = new WitnessNode(c.name(), c.cluster());
    witness.start().get(30, TimeUnit.SECONDS);
    return witness;
  }

  /** Stops the witness as SIGTERM would: it leaves the cluster. */
  public void stopWitness() throws Exception {
    witness.stop().get(10, TimeUnit.SECONDS);
    witness = null;
  }

  public WitnessNode witness() {
    return witness;
  }

  /** Starts lb1 and waits until it is MASTER, then lb2 and waits until it is in sync. */
  public void startMasterAndBackup(Duration wait) throws Exception {
    start(0);
    Awaitility.await().atMost(wait).until(() -> master() == 0);
    start(1);
    Awaitility.await().atMost(wait).until(() -> node(1).cluster().inSync());
  }

  public TandemNode start(int i) throws Exception {
    return start(i, dir.resolve("cluster.p12"));
  }

  public TandemNode start(int i, Path keyFile) throws Exception {
    TandemConfig c = new ConfigLoader().parse(config(i, keyFile), "lb" + (i + 1) + ".yaml", dir);
    // The transport `tandem run` picks by default, so that these tests cover the one in production.
    Vertx v = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(2))
        .withTransport(new Transports().choose(Transports.AUTO).transport()).build();
    TandemNode n = new TandemNode(v, c, AdminToken.of(TOKEN), 1);
    n.start().await(30, TimeUnit.SECONDS);
    vertxes.set(i, v);
    nodes.set(i, n);
    return n;
  }

  /** Stops node i cleanly (as SIGTERM would: VIP released, goodbye sent). */
  public void stop(int i) throws Exception {
    TandemNode n = nodes.get(i);
    n.stop().eventually(vertxes.get(i)::close).await(30, TimeUnit.SECONDS);
    nodes.set(i, null);
    vertxes.set(i, null);
  }

  public TandemNode node(int i) {
    return nodes.get(i);
  }

  public DemoBackend backend(int i) {
    return backends.get(i);
  }

  /** The node that is MASTER and holds the VIP, or -1. */
  public int master() {
    int found = -1;
    for (int i = 0; i < size; i++) {
      TandemNode n = nodes.get(i);
      if (n != null && n.cluster().status().state() == NodeState.MASTER && n.vip().held()) {
        if (found >= 0) {
          return -2;
        }
        found = i;
      }
    }
    return found;
  }

  /** How many live nodes hold the VIP right now. */
  public int holders() {
    int n = 0;
    for (TandemNode node : nodes) {
      if (node != null && node.vip().held()) {
        n++;
      }
    }
    return n;
  }

  /** A crash as far as one JVM can show it: the channel stops without a goodbye, the sockets close. */
  public void crash(int i) throws Exception {
    TandemNode n = nodes.get(i);
    n.cluster().abort();
    vertxes.get(i).close().await(10, TimeUnit.SECONDS);
    nodes.set(i, null);
    vertxes.set(i, null);
  }

  /**
   * Freezes every thread of node i that Tandem runs on (its event loops and its cluster context),
   * as SIGSTOP would, until {@link #thaw}. JGroups' own threads keep running.
   */
  public void freeze(int i, boolean clusterToo) throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(1);
    freezes.set(i, latch);
    Vertx v = vertxes.get(i);
    // Each of the node's event loops (Vert.x's contexts run on them) runs a task that waits. The
    // loops come from Vert.x's internal API: contexts made from outside cannot be steered to a loop.
    List<EventExecutor> loops = new ArrayList<>();
    ((VertxInternal) v).nettyEventLoopGroup().forEach(loops::add);
    CountDownLatch blocked = new CountDownLatch(loops.size() + (clusterToo ? 1 : 0));
    for (EventExecutor loop : loops) {
      loop.execute(() -> {
        blocked.countDown();
        await(latch);
      });
    }
    if (clusterToo) {
      nodes.get(i).cluster().context().runOnContext(x -> {
        blocked.countDown();
        await(latch);
      });
    }
    if (!blocked.await(5, TimeUnit.SECONDS)) {
      throw new IllegalStateException("lb" + (i + 1) + ": not every thread froze within 5 s");
    }
  }

  public void thaw(int i) {
    CountDownLatch l = freezes.get(i);
    if (l != null) {
      l.countDown();
    }
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() throws Exception {
    for (int i = 0; i < size; i++) {
      thaw(i);
    }
    List<Future<Void>> stops = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (nodes.get(i) != null) {
        stops.add(nodes.get(i).stop().eventually(vertxes.get(i)::close));
      }
    }
    Future.join(stops).await(30, TimeUnit.SECONDS);
    if (witness != null) {
      witness.stop().get(10, TimeUnit.SECONDS);
    }
    backendsVertx.close().await(10, TimeUnit.SECONDS);
    Files.deleteIfExists(dir.resolve("cluster.p12"));
  }
}
