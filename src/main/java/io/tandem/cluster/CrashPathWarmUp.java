package io.tandem.cluster;

import io.tandem.config.HostPort;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs JGroups' crash path once, in a private pair of channels on 127.0.0.1 built with this node's
 * stack: one member stops without a word, as a killed process would, and the other sees its socket
 * close, suspects it and installs the view without it. A node otherwise meets that path for the
 * first time when its real peer dies, and the first run loads the classes and links the lambdas of
 * FD_SOCK2's close handling, the suspect broadcast, VERIFY_SUSPECT2 and the view change. Measured in
 * the crash drill on the 2-core test machine under load: 26-45 ms from the dead peer's FIN to the
 * suspicion on a node that had never seen a crash, 7-10 ms on one that had.
 *
 * <p>Private: the pair binds only 127.0.0.1, on ports of its own, under a cluster name of its own,
 * and its discovery lists only its two members, so it can neither find the real cluster nor be
 * found by it. Nothing of it reaches the election, the table or the metrics. Blocking: run it on a
 * worker.
 */
final class CrashPathWarmUp {
  /** The pair's cluster name and member names end with this. */
  static final String SUFFIX = "-warm-up";

  /** How long the pair took: to form, and from the crash to the suspicion and to the new view. */
  record Result(long formMillis, long suspectMillis, long viewMillis) {}

  private CrashPathWarmUp() {}

  /**
   * Forms the pair, crashes one member and waits for the other to drop it; closes both, whatever
   * happens. Throws when a step does not happen within {@code limit} (the message says which).
   */
  static Result run(ClusterOptions node, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    List<HostPort> ports = LoopbackPorts.free(2);
    ClusterChannel survivor = new ClusterChannel(member(node, ports, 0), StateProvider.none());
    ClusterChannel victim = null;
    try {
      victim = new ClusterChannel(member(node, ports, 1), StateProvider.none());
      CountDownLatch suspected = new CountDownLatch(1);
      survivor.onSuspect(name -> suspected.countDown());
      long start = System.nanoTime();
      survivor.connect();
      victim.connect();
      if (survivor.members().size() != 2) {
        throw new IOException("the private pair did not form (view " + survivor.members() + ")");
      }
      // FD_SOCK2 connects to the member it watches after the view: a crash before that is only
      // seen by the heartbeat timeout, which warms nothing of the socket path.
      awaitOrThrow(survivor::watchingAPeer, deadline, "the failure detector did not connect", limit);
      long formed = System.nanoTime();
      victim.abort();
      if (!suspected.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw new IOException("the crashed member was not suspected within " + limit.toMillis() + " ms");
      }
      long suspectedAt = System.nanoTime();
      awaitOrThrow(() -> survivor.members().size() == 1, deadline, "the crashed member was not dropped from the view",
          limit);
      long dropped = System.nanoTime();
      return new Result(millis(formed - start), millis(suspectedAt - formed), millis(dropped - formed));
    } finally {
      survivor.close();
      if (victim != null) {
        victim.close();
      }
    }
  }

  /**
   * Member {@code i} of the private pair, on loopback under names of its own. The first starts
   * alone (no peers: it would warn that none let it join), the second joins it.
   */
  static ClusterOptions member(ClusterOptions node, List<HostPort> pair, int i) {
    return new ClusterOptions(node.nodeName() + SUFFIX + "-" + (char) ('a' + i), pair.get(i),
        i == 0 ? List.of() : List.of(pair.get(0)), node.keyFile(), node.heartbeatInterval(), node.heartbeatTimeout(),
        node.clusterName() + SUFFIX, node.stackFile());
  }

  /** Polls {@code condition} until it holds; past {@code deadline}, throws "{@code what} within LIMIT ms". */
  private static void awaitOrThrow(BooleanSupplier condition, long deadline, String what, Duration limit)
      throws IOException, InterruptedException {
    while (!condition.getAsBoolean()) {
      if (remaining(deadline) <= 0) {
        throw new IOException(what + " within " + limit.toMillis() + " ms");
      }
      Thread.sleep(2);
    }
  }

  private static long remaining(long deadline) {
    return deadline - System.nanoTime();
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
