package io.tandem.vip;

import io.tandem.config.VipConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The {@code iproute2} driver, for real hosts: the MASTER adds the VIP to an interface with {@code
 * ip addr} and announces it with gratuitous ARP ({@code arping -U}), a burst on takeover and one
 * every refresh (switches that missed the burst keep stale entries for hours).
 *
 * <p>The address carries a lifetime ({@code valid_lft}/{@code preferred_lft} = the lease) that a
 * healthy MASTER renews on its heartbeat, so the kernel itself removes the VIP from a node whose
 * process hangs or dies without cleaning up. {@code ip} commands run one at a time in order (a
 * renewal must never overtake a release and bring the address back); {@code arping} runs apart: it
 * sends at once but lingers a second before it exits, and nothing waits for it.
 */
public final class Iproute2FloatingIp implements FloatingIp {
  private static final System.Logger LOG = System.getLogger(Iproute2FloatingIp.class.getName());
  /** The nft table that holds back new connections to the VIP during a planned handoff. */
  static final String NFT_TABLE = "tandem_vip";

  private final String node;
  private final VipConfig vip;
  private final Vertx vertx;
  private final CommandRunner ip;
  private final CommandRunner arp;
  private final LongSupplier clock;
  /** Pending burst timers and the refresh timer: cancelled on release; a burst timer leaves when it fires. */
  private final Set<Long> timers = new HashSet<>();
  private volatile boolean held;
  private volatile boolean quiesced;
  private volatile Consumer<String> faults = reason -> {};
  private long lastRenew;
  private boolean renewing;

  /**
   * @param ip runs {@code ip} commands, one at a time in order
   * @param arp runs {@code arping}, each at once
   * @param clockMillis a monotonic clock (renewal spacing)
   */
  public Iproute2FloatingIp(String node, VipConfig vip, Vertx vertx, CommandRunner ip, CommandRunner arp,
      LongSupplier clockMillis) {
    this.node = node;
    this.vip = vip;
    this.vertx = vertx;
    this.ip = ip;
    this.arp = arp;
    this.clock = clockMillis;
  }

  @Override
  public Future<Void> prepare() {
    return ip.run(List.of("ip", "-o", "addr", "show", "dev", vip.iface()), vip.commandTimeout())
        .compose(r -> {
          if (!r.ok()) {
            return Future.failedFuture(new IOException("vip.interface: \"" + vip.iface()
                + "\": no such interface on this host (" + r.describe() + ")"));
          }
          return arp.run(List.of("arping", "-V"), vip.commandTimeout()).compose(a -> {
            if (!a.ok() || !a.output().contains("iputils")) {
              return Future.failedFuture(new IOException("vip.driver: iproute2 needs iputils' arping "
                  + "(Debian: iputils-arping): " + a.describe()));
            }
            return (listed(r.output()) ? removeStale() : Future.<Void>succeededFuture()).onSuccess(v -> {
              // The takeover's add and first announcement, started ahead so the failover does not
              // wait for a fork and exec of this process.
              ip.prime(addrCommand("replace"));
              arp.prime(garpCommand());
            });
          });
        }, e -> Future.failedFuture(new IOException("vip.driver: iproute2 needs the ip command (iproute2): "
            + e.getMessage(), e)));
  }

  /** Whether {@code ip -o addr show} output lists the VIP with its prefix. */
  boolean listed(String output) {
    String want = " " + vip.cidr() + " ";
    for (String line : output.split("; ")) {
      if ((line + " ").contains(want)) {
        return true;
      }
    }
    return false;
  }

  private Future<Void> removeStale() {
    // Left by an earlier run that died without cleaning up (its lease keeps it for a few seconds at
    // most, but a node restarted at once would find it): this node holds nothing yet.
    LOG.log(System.Logger.Level.WARNING, "{0}: removing a stale VIP {1} on {2} left by an earlier run", node,
        vip.cidr(), vip.iface());
    return del();
  }

  @Override
  public Future<Void> acquire(long epoch) {
    // Boxed for the lambdas here and in announce and garp: they run for the first time inside a
    // failover, and a lambda that captures a primitive long first spins a method-handle shape of
    // its own, milliseconds on a busy machine.
    Long forEpoch = epoch;
    return ip.runIfBefore(addrCommand("replace"), vip.commandTimeout(), staleAfter()).compose(r -> {
      if (!r.ok()) {
        return Future.failedFuture(new IOException(r.describe()));
      }
      synchronized (this) {
        held = true;
        lastRenew = clock.getAsLong();
      }
      LOG.log(System.Logger.Level.INFO, "{0}: epoch {1}: VIP {2} added to {3} (lease {4} s)", node,
          forEpoch.toString(), vip.cidr(), vip.iface(), Long.toString(vip.lease().toSeconds()));
      announce(forEpoch);
      long refresh = vip.garp().refresh().toMillis();
      track(vertx.setPeriodic(refresh, refresh, t -> {
        if (held) {
          garp(forEpoch);
        }
      }));
      return Future.<Void>succeededFuture();
    });
  }

  @Override
  public Future<Void> renew(long epoch) {
    synchronized (this) {
      // A quarter of the lease apart: three renewals may fail or run late before the kernel drops it.
      if (!held || renewing || clock.getAsLong() - lastRenew < vip.lease().toMillis() / 4) {
        return Future.succeededFuture();
      }
      renewing = true;
    }
    // replace, not change: both put back an address removed behind the driver's back (an operator's
    // mistake; a MASTER must serve its VIP), and replace says so.
    return ip.runIfBefore(addrCommand("replace"), vip.commandTimeout(), staleAfter()).transform(ar -> {
      synchronized (this) {
        renewing = false;
        if (ar.succeeded() && ar.result().ok()) {
          lastRenew = clock.getAsLong();
          return Future.succeededFuture();
        }
        if (ar.succeeded() && ar.result().skipped()) {
          // Queued before a pause: the election steps down on waking; nothing to renew.
          return Future.succeededFuture();
        }
      }
      if (!held) {
        // Released while the renewal ran: its failure (the address is gone) is no fault.
        return Future.succeededFuture();
      }
      String why = ar.succeeded() ? ar.result().describe() : ar.cause().getMessage();
      return Future.failedFuture(new IOException("lease renewal failed: " + why));
    });
  }

  @Override
  public Future<Void> quiesce(boolean on) {
    if (!on && !quiesced) {
      return Future.succeededFuture();
    }
    quiesced = on;
    String family = vip.address().host().indexOf(':') >= 0 ? "ip6" : "ip";
    List<String> cmd = on
        ? List.of("nft", "add table inet " + NFT_TABLE + "; add chain inet " + NFT_TABLE
            + " in { type filter hook input priority -10 ; policy accept ; }; add rule inet " + NFT_TABLE + " in "
            + family + " daddr " + vip.address().host() + " tcp flags & (syn | ack) == syn drop")
        : List.of("nft", "delete table inet " + NFT_TABLE);
    return ip.run(cmd, vip.commandTimeout()).transform(ar -> {
      boolean ok = ar.succeeded() && (ar.result().ok() || (!on && ar.result().output().contains("No such file")));
      if (!ok) {
        String why = ar.succeeded() ? ar.result().describe() : ar.cause().getMessage();
        LOG.log(System.Logger.Level.WARNING, "{0}: cannot {1} new connections to the VIP during the handoff: {2}",
            node, on ? "hold back" : "let in", why);
        return Future.failedFuture(new IOException(why));
      }
      return Future.<Void>succeededFuture();
    });
  }

  @Override
  public Future<Void> release(long epoch) {
    cancelTimers();
    // Cleared first, so that no renewal is queued behind the removal; set again if it fails.
    held = false;
    return del().onFailure(e -> held = true).onSuccess(v -> quiesce(false)).onSuccess(v -> LOG.log(System.Logger.Level.INFO, "{0}: epoch {1}: VIP {2} removed from {3}",
        node, Long.toString(epoch), vip.cidr(), vip.iface()));
  }

  private Future<Void> del() {
    return ip.run(List.of("ip", "addr", "del", vip.cidr(), "dev", vip.iface()), vip.commandTimeout())
        .compose(r -> {
          // Not there (its lease ran out, or an operator removed it) is what release wants.
          if (r.ok() || (!r.timedOut() && (r.output().contains("Address not found")
              || r.output().contains("Cannot assign requested address")))) {
            return Future.succeededFuture();
          }
          return Future.failedFuture(new IOException(r.describe()));
        });
  }

  @Override
  public Future<Void> announce(long epoch) {
    Long forEpoch = epoch; // boxed: see acquire
    long every = vip.garp().interval().toMillis();
    garp(forEpoch);
    for (int i = 1; i < vip.garp().count(); i++) {
      track(vertx.setTimer(every * i, t -> {
        untrack(t);
        if (held) {
          garp(forEpoch);
        }
      }));
    }
    return Future.succeededFuture();
  }

  private void garp(Long epoch) {
    arp.run(garpCommand(), vip.commandTimeout())
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result().ok()) {
            return;
          }
          String why = ar.succeeded() ? ar.result().describe() : ar.cause().getMessage();
          if (!held) {
            return; // released meanwhile: arping cannot bind the address any more
          }
          LOG.log(System.Logger.Level.ERROR, "{0}: epoch {1}: gratuitous ARP failed: {2}", node,
              epoch.toString(), why);
          faults.accept("gratuitous ARP failed: " + why);
        });
  }

  /**
   * The moment after which a queued add or renewal is stale: half the lease from now. It may only
   * run before then (replace would bring back an address the kernel dropped while this process
   * was frozen, at the moment its peer holds the VIP).
   */
  private long staleAfter() {
    return System.nanoTime() + vip.lease().toNanos() / 2;
  }

  private List<String> garpCommand() {
    return List.of("arping", "-U", "-q", "-c", "1", "-I", vip.iface(), "-s", vip.address().host(), vip.address().host());
  }

  private List<String> addrCommand(String verb) {
    String lease = Long.toString(vip.lease().toSeconds());
    return List.of("ip", "addr", verb, vip.cidr(), "dev", vip.iface(), "valid_lft", lease, "preferred_lft", lease);
  }

  private synchronized void track(long timer) {
    timers.add(timer);
  }

  private synchronized void untrack(long timer) {
    timers.remove(timer);
  }

  /** How many timers are pending (tests: re-announcing must not pile them up). */
  synchronized int pendingTimers() {
    return timers.size();
  }

  private synchronized void cancelTimers() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
  }

  @Override
  public void onFault(Consumer<String> listener) {
    this.faults = listener;
  }

  @Override
  public boolean held() {
    return held;
  }

  @Override
  public String describe() {
    return "iproute2 " + vip.cidr() + " dev " + vip.iface();
  }

  @Override
  public Future<Void> close() {
    cancelTimers();
    ip.close();
    arp.close();
    return Future.succeededFuture();
  }
}
