package io.tandem.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code cluster} and {@code vip} sections (absent: a single node with no floating IP). */
final class ClusterConfigReader {
  private ClusterConfigReader() {}

  private static final String ADDRESS_EXAMPLE = "an IP literal and a port, such as 198.18.0.12:7800";

  /** A balancer's cluster section. */
  static Optional<ClusterConfig> cluster(Section top, Path base) {
    return top.section("cluster").map(s -> cluster(s, base, false));
  }

  /**
   * A witness's cluster section (required): {@code peers} are the balancers; {@code preempt} and
   * {@code witness} have no place in it.
   */
  static ClusterConfig witnessCluster(Section top, Path base) {
    Optional<Section> section = top.section("cluster");
    if (section.isEmpty()) {
      top.error("cluster", "missing", "the cluster to witness: bind, peers (the balancers), key-file");
      return null;
    }
    return cluster(section.get(), base, true);
  }

  private static ClusterConfig cluster(Section s, Path base, boolean forWitness) {
    String name = s.value("name", "tandem", ConfigLoader.NAME_RULE,
        v -> ConfigLoader.NAME.matcher(v).matches() ? v : null);
    HostPort bind = s.address("bind", null);
    List<HostPort> peers = s.list("peers", ADDRESS_EXAMPLE, ClusterConfigReader::member);
    if (s.valid("peers") && s.listSize("peers") == 0) {
      s.error("peers", "[]", forWitness ? "the balancers' cluster.bind addresses"
          : "the cluster's members, this node's cluster.bind among them");
    }
    Set<HostPort> seen = new HashSet<>();
    for (HostPort p : peers) {
      if (!seen.add(p)) {
        s.error("peers", '"' + p.toString() + '"', "each member listed once");
      }
    }
    if (bind != null && bind.port() == 0) {
      s.error("bind", '"' + bind.toString() + '"', "a fixed port: peers list it");
    }
    Path keyFile = s.value("key-file", null, "a key file made by `tandem keygen`",
        v -> v.isBlank() ? null : ConfigLoader.resolve(base, v));
    if (keyFile != null && !Files.isReadable(keyFile)) {
      s.error("key-file", '"' + keyFile.toString() + '"', "a readable key file made by `tandem keygen`");
    }
    Optional<HostPort> witness = Optional.empty();
    boolean preempt = false;
    if (forWitness) {
      s.refuse("preempt", "absent in a witness config: the witness is never elected");
      s.refuse("witness", "absent in a witness config: cluster.peers lists the balancers");
    } else {
      preempt = s.bool("preempt", false);
      witness = witness(s, bind, peers);
    }
    Section hb = s.sectionOrEmpty("heartbeat");
    Duration interval = hb.duration("interval", Duration.ofMillis(100), Duration.ofMillis(10));
    Duration timeout = hb.duration("timeout", Duration.ofMillis(500), Duration.ofMillis(50));
    if (hb.valid("interval", "timeout")) {
      hb.check(timeout.compareTo(interval.multipliedBy(2)) >= 0, "timeout", Durations.format(timeout),
          ">= 2 x cluster.heartbeat.interval (" + Durations.format(interval) + ")");
    }
    hb.finish();
    s.finish();
    return new ClusterConfig(name, bind, peers, keyFile, preempt, interval, timeout, witness);
  }

  private static HostPort member(String v) {
    HostPort hp = HostPort.parse(v);
    if (hp.ip() == null || hp.port() == 0) {
      throw new IllegalArgumentException("not an IP literal with a port");
    }
    return hp;
  }

  /** The witness's cluster address: neither this node's nor a peer's (the witness is no balancer). */
  private static Optional<HostPort> witness(Section s, HostPort bind, List<HostPort> peers) {
    if (!s.has("witness")) {
      return Optional.empty();
    }
    HostPort w = s.value("witness", null, "the witness's cluster.bind: " + ADDRESS_EXAMPLE.replace("12:", "41:"),
        ClusterConfigReader::member);
    if (w == null) {
      return Optional.empty();
    }
    if (w.equals(bind)) {
      s.error("witness", '"' + w.toString() + '"', "the witness's address, not this node's cluster.bind");
    } else if (peers.contains(w)) {
      s.error("witness", '"' + w.toString() + '"',
          "an address that is not in cluster.peers (the peers are the balancers; the witness is no balancer)");
    }
    return Optional.of(w);
  }

  private static final java.util.regex.Pattern IFACE = java.util.regex.Pattern.compile("[A-Za-z0-9_.:@-]{1,15}");

  static Optional<VipConfig> vip(Section top, List<ListenConfig> listen, Path base) {
    Optional<Section> section = top.section("vip");
    if (section.isEmpty()) {
      return Optional.empty();
    }
    Section s = section.get();
    VipDriver driver = s.enumValue("driver", VipDriver.class, VipDriver.BIND);
    if (driver == VipDriver.BIND) {
      HostPort address = s.address("address", null);
      if (address != null && s.valid("address")) {
        for (ListenConfig l : listen) {
          if (address.overlaps(l.address())) {
            s.error("address", '"' + address.toString() + '"', "an address no listener uses (" + l.address() + ")");
            break;
          }
        }
      }
      s.finish();
      return Optional.of(VipConfig.bind(address == null ? new HostPort("0.0.0.0", 0) : address));
    }
    Cidr cidr = s.value("address", null, "an IP literal with its prefix length, such as 198.18.0.100/24",
        v -> {
          Cidr c = Cidr.parse(v);
          return v.contains("/") ? c : null;
        });
    String ip = cidr == null ? "0.0.0.0" : cidr.text().substring(0, cidr.text().indexOf('/'));
    int prefix = cidr == null ? 32 : Integer.parseInt(cidr.text().substring(cidr.text().indexOf('/') + 1));
    int port = s.integer("port", wildcardPort(listen), 1, 65535);
    if (s.valid("port") && !servesWildcard(listen, port)) {
      s.error("port", port, "the port of a listener on 0.0.0.0 or [::] (the VIP arrives on the interface, "
          + "so the proxy must listen on the wildcard address)");
    }
    Duration timeout = s.duration("command-timeout", driver == VipDriver.SCRIPT ? Duration.ofSeconds(10)
        : Duration.ofSeconds(2), Duration.ofMillis(100));
    String iface = "";
    Duration lease = Duration.ZERO;
    VipConfig.Garp garp = VipConfig.Garp.DEFAULT;
    VipConfig.Scripts scripts = VipConfig.Scripts.NONE;
    if (driver == VipDriver.IPROUTE2) {
      iface = s.value("interface", null, "a network interface name, such as eth0",
          v -> IFACE.matcher(v).matches() ? v : null);
      lease = s.duration("lease", Duration.ofSeconds(2), Duration.ofSeconds(1));
      if (s.valid("lease") && lease.toMillis() % 1000 != 0) {
        s.error("lease", Durations.format(lease), "whole seconds (the kernel's address lifetime)");
      }
      Section g = s.sectionOrEmpty("garp");
      garp = new VipConfig.Garp(g.integer("count", 5, 1, 100), g.duration("interval", Duration.ofMillis(200),
          Duration.ofMillis(10)), g.duration("refresh", Duration.ofSeconds(60), Duration.ofSeconds(1)));
      g.finish();
    } else {
      Section sc = s.sectionOrEmpty("scripts");
      scripts = new VipConfig.Scripts(script(sc, "master", true, base), script(sc, "backup", true, base),
          script(sc, "fault", false, base), script(sc, "stop", false, base));
      sc.finish();
    }
    s.finish();
    return Optional.of(new VipConfig(driver, new HostPort(ip, port), prefix, iface, lease, garp, scripts, timeout));
  }

  private static Optional<Path> script(Section s, String key, boolean required, Path base) {
    Path p = s.value(key, required ? null : Path.of(""), "an executable file",
        v -> v.isBlank() ? null : ConfigLoader.resolve(base, v));
    if (p == null || p.toString().isEmpty()) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
      s.error(key, '"' + p.toString() + '"', "an executable file");
    }
    return Optional.of(p);
  }

  /** The port of the first listener on a wildcard address (0: none). */
  private static int wildcardPort(List<ListenConfig> listen) {
    for (ListenConfig l : listen) {
      if (l.address().ip() != null && l.address().ip().isAnyLocalAddress()) {
        return l.address().port();
      }
    }
    return listen.isEmpty() ? 80 : listen.get(0).address().port();
  }

  private static boolean servesWildcard(List<ListenConfig> listen, int port) {
    return listen.stream().anyMatch(l -> l.address().port() == port && l.address().ip() != null
        && l.address().ip().isAnyLocalAddress());
  }
}
