package io.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
    "500ms, 500",
    "250, 250",
    "10s, 10000",
    "10 s, 10000",
    "3sec, 3000",
    "5min, 300000",
    "5m, 300000",
    "2h, 7200000",
    "1d, 86400000",
    "10S, 10000",
    "' 7s ', 7000"
  })
  void parsesEveryUnit(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ten seconds", "10 seconds", "-5s", "1.5s", "s", "10y"})
  void rejectsWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a duration; write e.g. 500ms, 10s, 5min, 1h");
  }

  @Test
  void rejectsOverflowAsIllegalArgument() {
    assertThatThrownBy(() -> Durations.parse("999999999999999999999d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration too large");
    assertThatThrownBy(() -> Durations.parse("999999999999999d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration too large");
  }

  @Test
  void formatsInTheLargestExactUnitAndRoundTrips() {
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5min");
    assertThat(Durations.format(Duration.ofHours(48))).isEqualTo("48h");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0ms");
    for (String s : new String[] {"1500ms", "90s", "5min", "48h", "0ms"}) {
      assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
    }
  }
}
