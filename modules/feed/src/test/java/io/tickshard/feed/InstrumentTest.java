package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;

class InstrumentTest {

  @Test
  void aBareIdMeansNseEquity() {
    assertThat(Instrument.parse("1333")).isEqualTo(Instrument.of(ExchangeSegment.NSE_EQ, 1333));
  }

  @Test
  void segmentAndIdAreSeparatedByAColon() {
    assertThat(Instrument.parse("NSE_FNO:55796"))
        .isEqualTo(Instrument.of(ExchangeSegment.NSE_FNO, 55796));
    assertThat(Instrument.parse("  BSE_EQ:500325 "))
        .isEqualTo(Instrument.of(ExchangeSegment.BSE_EQ, 500325));
  }

  @Test
  void toStringParsesBackForEverySegment() {
    for (ExchangeSegment segment : ExchangeSegment.values()) {
      Instrument instrument = Instrument.of(segment, Integer.MAX_VALUE);

      assertThat(instrument.toString()).isEqualTo(segment.name() + ":2147483647");
      assertThat(Instrument.parse(instrument.toString())).isEqualTo(instrument);
    }
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' is refused: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|instrument is empty",
        "'   '|instrument is empty",
        "FOO:1|unknown exchange segment 'FOO'",
        "nse_eq:1|unknown exchange segment 'nse_eq'",
        "NSE_EQ:|security id '' is not a positive number",
        "NSE_EQ:abc|security id 'abc' is not a positive number",
        "NSE_EQ:1:2|security id '1:2' is not a positive number",
        "-1|security id '-1' is not a positive number",
        "0|security id '0' is out of range",
        "2147483648|security id '2147483648' is out of range",
        "12345678901|security id '12345678901' is not a positive number",
      })
  void badInputIsRefusedWithAReason(String text, String reason) {
    assertThatThrownBy(() -> Instrument.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }

  @ParameterizedTest
  @NullSource
  void nullIsRefused(String text) {
    assertThatThrownBy(() -> Instrument.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theConstructorRefusesWhatParseRefuses() {
    assertThatThrownBy(() -> Instrument.of(null, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Instrument.of(ExchangeSegment.NSE_EQ, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void instrumentsSortBySegmentCodeThenId() {
    Instrument a = Instrument.of(ExchangeSegment.IDX_I, 99);
    Instrument b = Instrument.of(ExchangeSegment.NSE_EQ, 5);
    Instrument c = Instrument.of(ExchangeSegment.NSE_EQ, 1333);
    Instrument d = Instrument.of(ExchangeSegment.BSE_FNO, 1);
    List<Instrument> shuffled = new ArrayList<>(List.of(d, c, a, b));
    Collections.shuffle(shuffled, new java.util.Random(1));

    Collections.sort(shuffled);

    assertThat(shuffled).containsExactly(a, b, c, d);
  }

  @Test
  void aMarketPacketNamesItsInstrument() {
    assertThat(new OiPacket(ExchangeSegment.NSE_FNO, 55796, 1).instrument())
        .isEqualTo(Instrument.parse("NSE_FNO:55796"));
  }
}
