package io.tandem.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesEveryUnit() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(Durations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse(" 1d ")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void refusesNegativeMissingUnitAndOtherForms() {
    for (String s : new String[] {"-1s", "2", "s", "1.5s", "2 s", "2S", "1w", "PT2S", "", "+1s"}) {
      assertThatThrownBy(() -> Durations.parse(s)).as(s).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void refusesDurationWhoseMillisecondsOverflow() {
    assertThatThrownBy(() -> Durations.parse("999999999999d")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Durations.parse("99999999999999999999ms")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Durations.parse("99999999999d").toMillis()).isEqualTo(99_999_999_999L * 86_400_000L);
  }

  @Test
  void formatsShortestExactForm() {
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMinutes(30))).isEqualTo("30m");
    assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(Durations.format(Duration.ofDays(365))).isEqualTo("365d");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }
}
