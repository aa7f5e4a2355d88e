package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExchangeSegmentTest {

  @ParameterizedTest
  @CsvSource({
    "IDX_I, 0",
    "NSE_EQ, 1",
    "NSE_FNO, 2",
    "NSE_CURRENCY, 3",
    "BSE_EQ, 4",
    "MCX_COMM, 5",
    "BSE_CURRENCY, 7",
    "BSE_FNO, 8"
  })
  void nameAndHeaderCodeAsTheBrokerDefinesThem(String name, int code) {
    ExchangeSegment segment = ExchangeSegment.fromName(name).orElseThrow();

    assertThat(segment.code()).isEqualTo(code);
    assertThat(ExchangeSegment.fromCode(code)).contains(segment);
    assertThat(ExchangeSegment.fromCodeOrNull(code)).isSameAs(segment);
  }

  @Test
  void thereAreEightSegmentsAndNoCodeSix() {
    assertThat(ExchangeSegment.values()).hasSize(8);
    assertThat(Arrays.stream(ExchangeSegment.values()).mapToInt(ExchangeSegment::code))
        .doesNotContain(6);
  }

  @ParameterizedTest
  @ValueSource(ints = {6, -1, 9, 255, Integer.MIN_VALUE, Integer.MAX_VALUE})
  void codesOutsideTheTableHaveNoSegment(int code) {
    assertThat(ExchangeSegment.fromCode(code)).isEmpty();
    assertThat(ExchangeSegment.fromCodeOrNull(code)).isNull();
  }

  @Test
  void namesAreMatchedExactly() {
    assertThat(ExchangeSegment.fromName("nse_eq")).isEmpty();
    assertThat(ExchangeSegment.fromName("NSE_EQ ")).isEmpty();
    assertThat(ExchangeSegment.fromName("")).isEmpty();
    assertThat(ExchangeSegment.fromName(null)).isEmpty();
  }
}
