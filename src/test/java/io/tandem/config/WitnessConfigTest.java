package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster.witness} on the balancers, and the witness's own config ({@code role: witness}). */
class WitnessConfigTest {
  @TempDir
  Path dir;

  static final String BALANCER = "node: {name: lb1}\nlisten: [{address: \"127.0.0.1:8080\"}]\n"
      + "backends: [{id: web1, url: \"http://127.0.0.1:9001\"}]\n";
  static final String CLUSTER = "bind: 127.0.0.1:7800, peers: [127.0.0.1:7800, 127.0.0.1:7801], key-file: k.p12";
  static final String WITNESS = "role: witness\nnode: {name: w}\n"
      + "cluster: {bind: 127.0.0.1:7802, peers: [127.0.0.1:7800, 127.0.0.1:7801], key-file: k.p12}\n";

  @BeforeEach
  void key() throws Exception {
    Files.writeString(dir.resolve("k.p12"), "x");
  }

  List<String> balancerErrors(String yaml) {
    try {
      new ConfigLoader().parse(yaml, "lb.yaml", dir);
      return List.of();
    } catch (ConfigException e) {
      return e.errors();
    }
  }

  List<String> witnessErrors(String yaml) {
    try {
      new ConfigLoader().parseWitness(yaml, "w.yaml", dir);
      return List.of();
    } catch (ConfigException e) {
      return e.errors();
    }
  }

  @Test
  void withoutWitnessNothingChanges() throws Exception {
    ClusterConfig c = new ConfigLoader().parse(BALANCER + "cluster: {" + CLUSTER + "}\n", "lb.yaml", dir)
        .cluster().orElseThrow();
    assertThat(c.witness()).isEmpty();
    assertThat(c.members()).isEqualTo(c.peers());
  }

  @Test
  void theWitnessIsAVoterAndATcppingHostButNoPeer() throws Exception {
    ClusterConfig c = new ConfigLoader().parse(BALANCER + "cluster: {" + CLUSTER + ", witness: 127.0.0.1:7802}\n",
        "lb.yaml", dir).cluster().orElseThrow();
    assertThat(c.witness()).contains(new HostPort("127.0.0.1", 7802));
    assertThat(c.peers()).hasSize(2);
    assertThat(c.balancers()).isEqualTo(2);
    assertThat(c.members()).containsExactly(new HostPort("127.0.0.1", 7800), new HostPort("127.0.0.1", 7801),
        new HostPort("127.0.0.1", 7802));
  }

  @Test
  void balancersCountThisNodeEvenWhenPeersLeaveItOut() throws Exception {
    ClusterConfig c = new ConfigLoader().parse(BALANCER
        + "cluster: {bind: 127.0.0.1:7800, peers: [127.0.0.1:7801], key-file: k.p12, witness: 127.0.0.1:7802}\n",
        "lb.yaml", dir).cluster().orElseThrow();
    assertThat(c.balancers()).isEqualTo(2);
  }

  @Test
  void refusesAWitnessThatIsAPeerOrThisNode() {
    assertThat(balancerErrors(BALANCER + "cluster: {" + CLUSTER + ", witness: 127.0.0.1:7801}\n"))
        .containsExactly("cluster.witness: \"127.0.0.1:7801\" (expected: an address that is not in cluster.peers"
            + " (the peers are the balancers; the witness is no balancer))");
    assertThat(balancerErrors(BALANCER + "cluster: {bind: 127.0.0.1:7800, peers: [127.0.0.1:7801], key-file: k.p12,"
        + " witness: 127.0.0.1:7800}\n"))
        .containsExactly("cluster.witness: \"127.0.0.1:7800\" (expected: the witness's address, not this node's"
            + " cluster.bind)");
  }

  @Test
  void refusesAWitnessThatIsNoIpLiteralWithAPort() {
    assertThat(balancerErrors(BALANCER + "cluster: {" + CLUSTER + ", witness: witness.example:7802}\n"))
        .containsExactly("cluster.witness: \"witness.example:7802\" (expected: the witness's cluster.bind: an IP"
            + " literal and a port, such as 198.18.0.41:7800)");
    assertThat(balancerErrors(BALANCER + "cluster: {" + CLUSTER + ", witness: 127.0.0.1}\n")).hasSize(1);
  }

  @Test
  void aBalancerConfigRefusesTheWitnessRole() {
    assertThat(balancerErrors("role: witness\n" + BALANCER))
        .containsExactly("role: \"witness\" (expected: balancer (a witness config, role: witness, runs with"
            + " `tandem witness`))");
    assertThat(balancerErrors("role: balancer\n" + BALANCER)).isEmpty();
  }

  @Test
  void readsAWitnessConfig() throws Exception {
    WitnessConfig w = new ConfigLoader().parseWitness(WITNESS, "w.yaml", dir);
    assertThat(w.name()).isEqualTo("w");
    assertThat(w.cluster().bind()).isEqualTo(new HostPort("127.0.0.1", 7802));
    assertThat(w.cluster().peers()).hasSize(2);
    assertThat(w.cluster().witness()).isEmpty();
    assertThat(w.cluster().heartbeatTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(w.cluster().keyFile()).isEqualTo(dir.resolve("k.p12"));
  }

  @Test
  void aWitnessConfigNeedsItsRole() {
    assertThat(witnessErrors(WITNESS.replace("role: witness\n", "")))
        .containsExactly("role: missing (expected: witness (a balancer's config has no role and runs with"
            + " `tandem run`))");
  }

  @Test
  void aWitnessConfigRefusesProxySectionsWithTheReason() {
    assertThat(witnessErrors(WITNESS + "listen: [{address: \"127.0.0.1:8080\"}]\nvip: {driver: bind}\n"))
        .containsExactly(
            "listen: present (expected: absent in a witness config: the witness serves no proxy and holds no VIP)",
            "vip: present (expected: absent in a witness config: the witness serves no proxy and holds no VIP)");
  }

  @Test
  void aWitnessConfigRefusesElectionKeys() {
    assertThat(witnessErrors(WITNESS.replace("{name: w}", "{name: w, priority: 100}")
        .replace("key-file: k.p12}", "key-file: k.p12, preempt: true, witness: 127.0.0.1:7803}")))
        .containsExactly(
            "node.priority: 100 (expected: absent in a witness config: the witness is never elected)",
            "cluster.preempt: true (expected: absent in a witness config: the witness is never elected)",
            "cluster.witness: \"127.0.0.1:7803\" (expected: absent in a witness config: cluster.peers lists the"
                + " balancers)");
  }

  @Test
  void aWitnessConfigNeedsItsClusterAndName() {
    assertThat(witnessErrors("role: witness\n")).containsExactly(
        "node.name: missing (expected: 1-63 letters, digits, '.', '_' or '-')",
        "cluster: missing (expected: the cluster to witness: bind, peers (the balancers), key-file)");
  }

  @Test
  void aWitnessConfigStillReportsTyposAgainstItsOwnKeys() {
    assertThat(witnessErrors(WITNESS + "clustre: {}\n"))
        .containsExactly("clustre: unknown key (expected: one of role, node, cluster)");
  }

  @Test
  void checkTellsAWitnessConfigFromABalancers() throws Exception {
    Path w = dir.resolve("w.yaml");
    Files.writeString(w, WITNESS);
    Path b = dir.resolve("b.yaml");
    Files.writeString(b, BALANCER);
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "role: [");
    ConfigLoader loader = new ConfigLoader();
    assertThat(loader.declaresWitness(w)).isTrue();
    assertThat(loader.declaresWitness(b)).isFalse();
    assertThat(loader.declaresWitness(bad)).isFalse();
    assertThat(loader.declaresWitness(dir.resolve("missing.yaml"))).isFalse();
  }

  @Test
  void theExampleWitnessConfigIsValid() throws Exception {
    WitnessConfig w = new ConfigLoader().loadWitness(Path.of("conf/witness.yaml"));
    assertThat(w.name()).isEqualTo("witness");
    assertThat(w.cluster().bind()).isEqualTo(new HostPort("198.18.0.41", 7800));
  }
}
