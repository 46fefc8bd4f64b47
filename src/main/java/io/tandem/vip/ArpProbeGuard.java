package io.tandem.vip;

import io.tandem.config.VipConfig;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guard for real hosts: the HTTP probe of the VIP's holder decides (a frozen process's kernel
 * still answers ARP and completes TCP handshakes; only a live data path answers HTTP). When it finds
 * a holder, an ARP probe of the VIP ({@code arping -D}: which MAC answers for it) tells the log who
 * that is; when nobody serves the VIP, nothing is spawned: the takeover's own {@code ip} and {@code
 * arping} are on the clock. A takeover never waits for ARP: with no host behind the VIP, {@code
 * arping} only gives up after a second.
 */
public final class ArpProbeGuard implements TakeoverGuard {
  private static final System.Logger LOG = System.getLogger(ArpProbeGuard.class.getName());
  private static final Pattern MAC = Pattern.compile("\\[([0-9A-Fa-f:]{17})\\]");

  private final String node;
  private final VipConfig vip;
  private final CommandRunner arp;
  private final TakeoverGuard http;
  private final Duration arpTimeout;

  public ArpProbeGuard(String node, VipConfig vip, CommandRunner arp, TakeoverGuard http, Duration arpTimeout) {
    this.node = node;
    this.vip = vip;
    this.arp = arp;
    this.http = http;
    this.arpTimeout = arpTimeout;
  }

  @Override
  public Future<GuardVerdict> check() {
    return logged(http.check());
  }

  @Override
  public Future<GuardVerdict> confirm() {
    return logged(http.confirm());
  }

  private Future<GuardVerdict> logged(Future<GuardVerdict> check) {
    return check.onSuccess(verdict -> {
      if (verdict == GuardVerdict.FREE) {
        // Nobody serves the VIP: the takeover goes ahead, and a process spawned now would only
        // compete with its ip and arping for the CPU.
        return;
      }
      arp.run(List.of("arping", "-D", "-c", "1", "-w", "1", "-I", vip.iface(), vip.address().host()), arpTimeout)
          .onComplete(ar -> LOG.log(System.Logger.Level.INFO, "{0}: takeover guard: HTTP probe of the holder: {1}; {2}",
              node, verdict, arpText(ar.succeeded() ? ar.result() : null)));
    });
  }

  /** What the ARP probe found, for the log. */
  static String arpText(CommandRunner.Result r) {
    if (r == null) {
      return "ARP probe failed";
    }
    Matcher m = MAC.matcher(r.output());
    if (r.exitCode() == 1 && m.find()) {
      return "ARP: the VIP is answered by " + m.group(1);
    }
    if (r.exitCode() == 0 || r.timedOut()) {
      return "ARP: no host answers for the VIP";
    }
    return "ARP probe: " + r.describe();
  }
}
