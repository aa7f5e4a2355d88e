package io.tickshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Candles larger than a minute: buckets from the session open, folded from the minutes. */
class ChartIntervalTest {
  private static Instant ist(String time) {
    return Instant.parse("2026-12-07T" + time + "Z").minusSeconds(19_800);
  }

  @Test
  void buckets_count_from_the_session_open_of_each_ist_day() {
    assertThat(ChartInterval.FIVE.bucketOf(ist("09:19:00"))).isEqualTo(ist("09:15:00"));
    assertThat(ChartInterval.FIFTEEN.bucketOf(ist("09:44:00"))).isEqualTo(ist("09:30:00"));
    assertThat(ChartInterval.TWENTY_FIVE.bucketOf(ist("10:04:00"))).isEqualTo(ist("09:40:00"));
    assertThat(ChartInterval.TWENTY_FIVE.bucketOf(ist("10:05:00"))).isEqualTo(ist("10:05:00"));
    assertThat(ChartInterval.SIXTY.bucketOf(ist("11:14:00"))).isEqualTo(ist("10:15:00"));
    assertThat(ChartInterval.SIXTY.bucketOf(ist("09:14:00"))).isEqualTo(ist("08:15:00"));
  }

  @Test
  void folding_keeps_first_open_extremes_last_close_summed_volume_last_oi() {
    List<RecordedMinute> minutes =
        List.of(
            new RecordedMinute(ist("09:15:00"), 100f, 103f, 99f, 102f, 10, 1),
            new RecordedMinute(ist("09:17:00"), 102f, 104f, 101f, 101f, 20, 2),
            new RecordedMinute(ist("09:20:00"), 101f, 101f, 97f, 98f, 5, 3));
    assertThat(IntradayChartApi.fold(minutes, ChartInterval.FIVE))
        .containsExactly(
            new RecordedMinute(ist("09:15:00"), 100f, 104f, 99f, 101f, 30, 2),
            new RecordedMinute(ist("09:20:00"), 101f, 101f, 97f, 98f, 5, 3));
  }

  @Test
  void an_interval_is_named_as_the_broker_names_it() {
    assertThat(ChartInterval.of("25")).contains(ChartInterval.TWENTY_FIVE);
    assertThat(ChartInterval.of("2")).isEmpty();
  }
}
