package io.tandem.vip;

import io.tandem.config.VipConfig;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guard for real hosts: an ARP probe of the VIP ({@code arping -D}: does any host answer for
 * it, and with which MAC) beside the HTTP probe of its holder. The HTTP answer decides (a frozen
 * process's kernel still answers ARP and completes TCP handshakes; only a live data path answers
 * HTTP); the ARP answer tells the log who held the address. A takeover never waits for ARP: with
 * no host behind the VIP, {@code arping} only gives up after a second.
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
    Future<CommandRunner.Result> probe = arp.run(List.of("arping", "-D", "-c", "1", "-w", "1", "-I", vip.iface(),
        vip.address().host()), arpTimeout);
    return http.check().onSuccess(verdict -> probe.onComplete(ar -> LOG.log(System.Logger.Level.INFO,
        "{0}: takeover guard: {1}; HTTP probe of the holder: {2}", node, arpText(ar.succeeded() ? ar.result() : null),
        verdict)));
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
