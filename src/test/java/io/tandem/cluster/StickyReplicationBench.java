package io.tandem.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.HostPort;
import io.tandem.sticky.Binding;
import io.tandem.sticky.StickyTable;
import io.tandem.testing.Ports;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sticky replication figures for the issue note, on two real {@link ClusterChannel}s in one JVM on
 * 127.0.0.1: the lag from a bind on A to its arrival in B's table at steady bind rates, and the
 * time and receiving-side heap of a 1M-binding state transfer to a joining node.
 *
 * <p>Excluded from normal runs ({@code surefire.excludedGroups=bench}); run it with
 * {@code test-cluster/bench/sticky}. Prints one JSON line per measurement and writes them to
 * {@code target/bench/sticky.json}. No timing assertions, only correctness ones.
 */
@Tag("bench")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StickyReplicationBench {
  private static final Duration IDLE = Duration.ofMinutes(30);
  private static final int MAX_ENTRIES = 5_000_000;
  private static final Path OUT = Path.of(System.getProperty("tandem.bench.out", "target/bench"), "sticky.json");
  private static final Duration DRAIN = Duration.ofSeconds(15);
  private static final int BINDERS = 2;
  /** {@code -Dtandem.bench.smoke=true}: one second per rate and 100k bindings (test-cluster/bench/smoke). */
  private static final boolean SMOKE = Boolean.getBoolean("tandem.bench.smoke");

  @TempDir Path dir;

  @BeforeAll
  static void freshOutput() throws IOException {
    Files.createDirectories(OUT.getParent());
    Files.deleteIfExists(OUT);
  }

  @Test
  @Order(1)
  void replicationLagAtSteadyBindRates() throws Exception {
    Path key = dir.resolve("cluster.key");
    ClusterKey.generate(key);
    int[] ports = twoPortPairs();
    try (Node a = new Node("a", ports[0], ports[1], key, false);
        Node b = new Node("b", ports[1], ports[0], key, true)) {
      a.createTable();
      b.createTable();
      a.connect();
      b.connect();
      waitUntil(Duration.ofSeconds(10), () -> a.channel.members().size() == 2 && b.channel.members().size() == 2);
      a.table.start();
      b.table.start();

      long base = 0;
      LagRun warm = runAtRate(a, b, base, 2_000, SMOKE ? 1 : 2);
      base += warm.n;
      System.out.println("warmup (not recorded): " + warm.json());
      for (int[] rateSeconds : new int[][] {{5_000, 10}, {1_000, 5}, {20_000, 5}}) {
        LagRun run = runAtRate(a, b, base, rateSeconds[0], SMOKE ? 1 : rateSeconds[1]);
        base += run.n;
        record(run.json());
        assertThat(run.lost).as("bindings that never reached B at %d/s", rateSeconds[0]).isZero();
      }
      assertThat(b.table.sequenceGaps()).as("DELTAS batches missing at B").isZero();
    }
  }

  @Test
  @Order(2)
  void stateTransferOfAMillionBindingsToAJoiningNode() throws Exception {
    int n = SMOKE ? 100_000 : 1_000_000;
    Path key = dir.resolve("cluster.key");
    ClusterKey.generate(key);
    int[] ports = twoPortPairs();
    try (Node a = new Node("a", ports[0], ports[1], key, false);
        Node b = new Node("b", ports[1], ports[0], key, false)) {
      a.createTable();
      // Straight into A's local table as remote bindings: no listener fires, nothing is queued.
      long now = System.currentTimeMillis();
      HexFormat hex = HexFormat.of();
      SplittableRandom random = new SplittableRandom(42);
      for (long v = 1; a.local.size() < n; v++) {
        String k = "c:" + hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
        a.local.applyRemote(new Binding(k, "web" + (v % 3), v, now - (v % 60_000)));
      }
      assertThat(a.local.size()).isEqualTo(n);
      a.connect();
      a.table.start();

      // Baseline: A's table and B's (unconnected) channel are in the heap, B's table is not.
      long before = usedHeapAfterGc();
      b.createTable();
      long start = System.nanoTime();
      b.connect(); // returns once the state is in
      long connectNanos = System.nanoTime() - start;
      int size = b.local.size();
      long after = usedHeapAfterGc();

      assertThat(b.channel.members()).containsExactly("a", "b");
      assertThat(b.restored).isEqualTo(n);
      assertThat(size).isEqualTo(n);
      a.local.forEach(x -> {
        if (x.version() % 10_007 == 0) {
          assertThat(b.local.get(x.key())).contains(x);
        }
      });
      long delta = after - before;
      record(String.format(Locale.ROOT,
          "{\"bench\":\"state-transfer\",\"bindings\":%d,\"seconds\":%.3f,\"state_read_seconds\":%.3f,"
              + "\"snapshot_bytes\":%d,\"received_size\":%d,\"heap_delta_bytes\":%d,"
              + "\"heap_bytes_per_binding\":%.1f,\"heap_before_mb\":%.1f,\"heap_after_mb\":%.1f,\"max_heap_mb\":%.0f}",
          n, connectNanos / 1e9, b.readNanos / 1e9, b.readBytes, size, delta, delta / (double) n,
          before / 1048576.0, after / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0));
    }
  }

  /** Binds keys base..base+n-1 on A at {@code rate}/s from {@link #BINDERS} threads, then drains. */
  private static LagRun runAtRate(Node a, Node b, long base, int rate, int seconds) throws Exception {
    int n = rate * seconds;
    long[] boundAt = new long[n];
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = "c:" + (base + i);
    }
    b.arrivals.clear();
    long period = 1_000_000_000L / rate;
    long t0 = System.nanoTime() + 50_000_000L;
    AtomicLong maxSlip = new AtomicLong();
    Thread[] binders = new Thread[BINDERS];
    for (int t = 0; t < BINDERS; t++) {
      int first = t;
      binders[t] = new Thread(() -> {
        long slip = 0;
        for (int i = first; i < n; i += BINDERS) {
          long due = t0 + i * period;
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          long at = System.nanoTime();
          slip = Math.max(slip, at - due);
          boundAt[i] = at;
          a.table.bind(keys[i], "web" + ((base + i) % 3));
        }
        maxSlip.accumulateAndGet(slip, Math::max);
      }, "binder-" + t);
      binders[t].start();
    }
    for (Thread t : binders) {
      t.join();
    }
    long bindNanos = System.nanoTime() - t0;
    waitUntil(DRAIN, () -> b.arrivals.size() >= n);

    long[] lags = new long[n];
    int arrived = 0;
    for (int i = 0; i < n; i++) {
      Long at = b.arrivals.get(keys[i]);
      if (at != null) {
        lags[arrived++] = at - boundAt[i];
      }
    }
    long[] sorted = Arrays.copyOf(lags, arrived);
    Arrays.sort(sorted);
    return new LagRun(rate, n, n / (bindNanos / 1e9), maxSlip.get(), sorted, n - arrived,
        b.table.sequenceGaps());
  }

  private record LagRun(int rate, int n, double achievedRate, long maxSlipNanos, long[] sortedLags, int lost,
      long gaps) {
    String json() {
      return String.format(Locale.ROOT,
          "{\"bench\":\"sticky-lag\",\"rate\":%d,\"n\":%d,\"achieved_rate\":%.0f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,"
              + "\"p999_ms\":%.3f,\"max_ms\":%.3f,\"lost\":%d,\"max_bind_slip_ms\":%.3f,\"sequence_gaps\":%d}",
          rate, n, achievedRate, pct(0.50), pct(0.99), pct(0.999),
          sortedLags.length == 0 ? Double.NaN : sortedLags[sortedLags.length - 1] / 1e6, lost,
          maxSlipNanos / 1e6, gaps);
    }

    /** Nearest-rank percentile, in ms. */
    private double pct(double p) {
      if (sortedLags.length == 0) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(p * sortedLags.length);
      return sortedLags[Math.max(0, rank - 1)] / 1e6;
    }
  }

  /** One member: its channel, and (from {@link #createTable}) its replicated table. */
  private static final class Node implements AutoCloseable {
    final ClusterChannel channel;
    final ScheduledExecutorService timers;
    final ConcurrentHashMap<String, Long> arrivals = new ConcurrentHashMap<>();
    private final String name;
    private final boolean recordArrivals;
    volatile StickyTable local;
    volatile ReplicatedStickyTable table;
    volatile long restored = -1;
    volatile long readNanos;
    volatile long readBytes;

    Node(String name, int port, int peerPort, Path key, boolean recordArrivals) throws Exception {
      this.name = name;
      this.recordArrivals = recordArrivals;
      ClusterOptions options = new ClusterOptions(name, new HostPort("127.0.0.1", port),
          List.of(new HostPort("127.0.0.1", peerPort)), key, Duration.ofSeconds(1), Duration.ofSeconds(5));
      this.channel = new ClusterChannel(options, new StateProvider() {
        @Override
        public void write(OutputStream out) throws IOException {
          table.snapshot(out);
        }

        @Override
        public void read(InputStream in) throws IOException {
          long start = System.nanoTime();
          CountingInput counted = new CountingInput(in);
          restored = table.restore(counted);
          readNanos = System.nanoTime() - start;
          readBytes = counted.count;
        }
      });
      channel.onMessage((from, payload) -> {
        ReplicatedStickyTable t = table;
        if (t != null) {
          t.onMessage(payload);
        }
      });
      this.timers = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, name + "-replication");
        t.setDaemon(true);
        return t;
      });
    }

    void createTable() {
      StickyTable own = StickyTable.local(IDLE, MAX_ENTRIES, System::currentTimeMillis);
      local = recordArrivals ? new ArrivalStamps(own, arrivals) : own;
      table = new ReplicatedStickyTable(name, local, channel, this::every, System::currentTimeMillis,
          LagRecorder.none(), ReplicationOptions.defaults(IDLE));
    }

    void connect() throws Exception {
      channel.connect();
    }

    private Scheduler.Cancellable every(Duration period, Runnable task) {
      long nanos = period.toNanos();
      ScheduledFuture<?> f = timers.scheduleAtFixedRate(task, nanos, nanos, TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    }

    @Override
    public void close() {
      if (table != null) {
        table.close();
      }
      timers.shutdownNow();
      channel.close();
    }
  }

  /** B's local table, noting when each key first arrives from A. */
  private static final class ArrivalStamps extends ForwardingStickyTable {
    private final ConcurrentHashMap<String, Long> arrivals;

    ArrivalStamps(StickyTable delegate, ConcurrentHashMap<String, Long> arrivals) {
      super(delegate);
      this.arrivals = arrivals;
    }

    @Override
    public boolean applyRemote(Binding binding) {
      arrivals.putIfAbsent(binding.key(), System.nanoTime());
      return super.applyRemote(binding);
    }
  }

  private static final class CountingInput extends FilterInputStream {
    long count;

    CountingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  /** Two transport ports whose FD_SOCK2 ports (+100) are free too, and which do not overlap. */
  private static int[] twoPortPairs() {
    int p = Ports.freePair(ClusterOptions.FD_SOCK_OFFSET);
    while (true) {
      int q = Ports.freePair(ClusterOptions.FD_SOCK_OFFSET);
      if (Math.abs(p - q) != 0 && Math.abs(p - q) != ClusterOptions.FD_SOCK_OFFSET) {
        return new int[] {p, q};
      }
    }
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static void waitUntil(Duration limit, java.util.function.BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + limit.toNanos();
    while (!done.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(20);
    }
  }

  private static synchronized void record(String json) throws IOException {
    System.out.println(json);
    Files.writeString(OUT, json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
