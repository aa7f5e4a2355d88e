package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The raw LTT is assumed to be epoch seconds shifted to IST (UNCONFIRMED, fact sheet §3). */
class LastTradeTimeTest {

  @Test
  void aRawValueIsIstShiftedEpochSeconds() {
    // 15:29:59 IST on 11 June 2024 is 09:59:59 UTC; the raw field reads 1718119799.
    assertThat(LastTradeTime.toInstant(1_718_119_799))
        .isEqualTo(Instant.parse("2024-06-11T09:59:59Z"));
    assertThat(LastTradeTime.toRaw(Instant.parse("2024-06-11T09:59:59Z"))).isEqualTo(1_718_119_799);
    assertThat(LastTradeTime.OFFSET_SECONDS).isEqualTo(5 * 3600 + 30 * 60);
  }

  @Test
  void everyRawValueSurvivesTheRoundTrip() {
    Random random = new Random(7);
    int[] edges = {0, 1, 19_800, Integer.MAX_VALUE, Integer.MIN_VALUE, -1};
    for (int raw : edges) {
      assertThat(LastTradeTime.toRaw(LastTradeTime.toInstant(raw))).isEqualTo(raw);
    }
    for (int i = 0; i < 10_000; i++) {
      int raw = random.nextInt();
      assertThat(LastTradeTime.toRaw(LastTradeTime.toInstant(raw))).isEqualTo(raw);
    }
  }

  @Test
  void everyWholeSecondThisCenturySurvivesTheRoundTrip() {
    Random random = new Random(11);
    long from = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("2099-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 10_000; i++) {
      Instant instant = Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)));

      assertThat(LastTradeTime.toInstant(LastTradeTime.toRaw(instant))).isEqualTo(instant);
    }
  }

  @Test
  void rawValuesPast2038AreReadUnsigned() {
    // 0x80000000 as a signed int is negative; as broker seconds it is January 2038 and later.
    assertThat(LastTradeTime.toInstant(Integer.MIN_VALUE))
        .isEqualTo(Instant.ofEpochSecond(2_147_483_648L - 19_800));
  }
}
