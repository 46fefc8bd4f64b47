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

  static Optional<VipConfig> vip(Section top, List<ListenConfig> listen) {
    Optional<Section> section = top.section("vip");
    if (section.isEmpty()) {
      return Optional.empty();
    }
    Section s = section.get();
    VipDriver driver = s.enumValue("driver", VipDriver.class, VipDriver.BIND);
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
    return Optional.of(new VipConfig(driver, address));
  }
}
