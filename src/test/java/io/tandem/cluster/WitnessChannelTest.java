package io.tandem.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jgroups.Address;
import org.junit.jupiter.api.Test;

/** The witness mark in the address, and state transfer that never asks a witness. */
class WitnessChannelTest extends ChannelFixture {
  /** Writes its own name as the state; records what it reads and whether it was asked. */
  static final class NamedState implements StateProvider {
    final String name;
    final List<String> asked = new CopyOnWriteArrayList<>();
    final List<String> read = new CopyOnWriteArrayList<>();

    NamedState(String name) {
      this.name = name;
    }

    @Override
    public void write(OutputStream out) throws IOException {
      asked.add(name);
      out.write(name.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void read(InputStream in) throws IOException {
      read.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aJoiningBalancerFetchesTheStateFromTheOldestBalancerNotTheCoordinatingWitness() throws Exception {
    NamedState w = new NamedState("witness-table");
    NamedState a = new NamedState("a-table");
    NamedState b = new NamedState("b-table");
    ClusterChannel witness = cluster.create(2, w);
    witness.markAsWitness();
    witness.connect();
    ClusterChannel first = cluster.create(0, a);
    first.connect();
    assertThat(first.view().coordinator()).isEqualTo("n2");
    assertThat(a.read).isEmpty(); // no other balancer yet: an empty table is right

    ClusterChannel second = cluster.create(1, b);
    second.connect();

    assertThat(b.read).containsExactly("a-table");
    assertThat(w.asked).isEmpty();
    assertThat(w.read).isEmpty(); // the witness fetches nothing either
  }

  @Test
  void everyMemberTellsTheWitnessFromTheViewAlone() throws Exception {
    ClusterChannel witness = cluster.create(2, StateProvider.none());
    witness.markAsWitness();
    witness.connect();
    ClusterChannel a = cluster.start(0);
    await().atMost(3, SECONDS).until(() -> a.members().size() == 2 && witness.members().size() == 2);

    for (ClusterChannel ch : List.of(a, witness)) {
      List<Address> members = ch.jchannel().getView().getMembers();
      assertThat(members.stream().filter(ClusterChannel::isWitness).map(Object::toString).toList())
          .hasSize(1).allMatch(s -> s.startsWith("n2"));
      assertThat(ClusterChannel.stateProvider(ch.jchannel().getView(), ch.jchannel().getAddress()))
          .isEqualTo(ch == a ? null : a.jchannel().getAddress());
    }
    assertThat(a.members()).containsExactly("n2", "n0");
  }
}
