package io.tandem.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The operator's changes are heard by admin listeners; changes applied from the cluster are not. */
class AdminListenerTest {
  @Test
  void setAdminStateIsHeardApplyAdminStateIsNot() {
    BackendPool pool = Pools.pool("a", "b");
    List<String> heard = new CopyOnWriteArrayList<>();
    RecordingListener states = new RecordingListener();
    pool.addAdminListener((id, state) -> heard.add(id + "=" + state));
    pool.addListener(states);

    assertThat(pool.setAdminState("a", AdminState.DRAIN)).isTrue();
    assertThat(pool.applyAdminState("b", AdminState.MAINT)).isTrue();
    assertThat(pool.setAdminState("nope", AdminState.MAINT)).isFalse();
    assertThat(pool.applyAdminState("nope", AdminState.MAINT)).isFalse();

    assertThat(heard).containsExactly("a=DRAIN");
    assertThat(pool.byId("b").orElseThrow().adminState()).isEqualTo(AdminState.MAINT);
    assertThat(states.events).containsExactly("a UP->DRAIN: admin: drain", "b UP->MAINT: admin (cluster): maint");
  }

  @Test
  void aBrokenAdminListenerDoesNotFailTheChange() {
    BackendPool pool = Pools.pool("a");
    pool.addAdminListener((id, state) -> {
      throw new IllegalStateException("boom");
    });

    assertThat(pool.setAdminState("a", AdminState.DRAIN)).isTrue();
    assertThat(pool.byId("a").orElseThrow().adminState()).isEqualTo(AdminState.DRAIN);
  }
}
