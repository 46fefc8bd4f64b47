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

  static Optional<ClusterConfig> cluster(Section top, Path base) {
    Optional<Section> section = top.section("cluster");
    if (section.isEmpty()) {
      return Optional.empty();
    }
    Section s = section.get();
    String name = s.value("name", "tandem", ConfigLoader.NAME_RULE,
        v -> ConfigLoader.NAME.matcher(v).matches() ? v : null);
    HostPort bind = s.address("bind", null);
    List<HostPort> peers = s.list("peers", "an IP literal and a port, such as 198.18.0.12:7800", v -> {
      HostPort hp = HostPort.parse(v);
      if (hp.ip() == null || hp.port() == 0) {
        throw new IllegalArgumentException("not an IP literal with a port");
      }
      return hp;
    });
    if (s.valid("peers") && s.listSize("peers") == 0) {
      s.error("peers", "[]", "the cluster's members, this node's cluster.bind among them");
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
    boolean preempt = s.bool("preempt", false);
    Section hb = s.sectionOrEmpty("heartbeat");
    Duration interval = hb.duration("interval", Duration.ofMillis(100), Duration.ofMillis(10));
    Duration timeout = hb.duration("timeout", Duration.ofMillis(500), Duration.ofMillis(50));
    if (hb.valid("interval", "timeout")) {
      hb.check(timeout.compareTo(interval.multipliedBy(2)) >= 0, "timeout", Durations.format(timeout),
          ">= 2 x cluster.heartbeat.interval (" + Durations.format(interval) + ")");
    }
    hb.finish();
    s.finish();
    return Optional.of(new ClusterConfig(name, bind, peers, keyFile, preempt, interval, timeout));
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
