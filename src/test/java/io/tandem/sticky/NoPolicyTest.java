package io.tandem.sticky;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.config.StickyConfig;
import io.tandem.config.StickyMode;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NoPolicyTest {
  private final StickyPolicy policy = StickyPolicy.create(
      new StickyConfig(StickyMode.NONE, "JSESSIONID", Duration.ofMinutes(30), List.of(), 1000),
      new SplittableRandom(1));

  @Test
  void noUserEverHasAKey() {
    assertThat(policy.mode()).isEqualTo(StickyMode.NONE);
    assertThat(policy.keyOf(List.of("JSESSIONID=abc"), InetAddress.getLoopbackAddress(), "203.0.113.5")).isEmpty();
    assertThat(policy.learnedKey(List.of("JSESSIONID=abc"))).isEmpty();
    assertThat(policy.newInsertedKey()).isEmpty();
  }
}
