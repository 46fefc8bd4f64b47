package io.tandem.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RiseFallTest {
  private final RiseFall verdict = new RiseFall(2, 3);

  @Test
  void startsUp() {
    assertThat(verdict.up()).isTrue();
  }

  @Test
  void goesDownAfterFallBadChecksInARow() {
    assertThat(verdict.record(false)).isFalse();
    assertThat(verdict.record(false)).isFalse();
    assertThat(verdict.record(false)).isTrue();
    assertThat(verdict.up()).isFalse();
    assertThat(verdict.record(false)).isFalse();
  }

  @Test
  void aGoodCheckBreaksTheFallStreak() {
    verdict.record(false);
    verdict.record(false);
    verdict.record(true);
    verdict.record(false);
    verdict.record(false);

    assertThat(verdict.up()).isTrue();
  }

  @Test
  void comesBackUpAfterRiseGoodChecksInARow() {
    for (int i = 0; i < 3; i++) {
      verdict.record(false);
    }
    assertThat(verdict.record(true)).isFalse();
    assertThat(verdict.record(false)).isFalse();
    assertThat(verdict.record(true)).isFalse();
    assertThat(verdict.record(true)).isTrue();
    assertThat(verdict.up()).isTrue();
  }
}
