package io.tickshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The record's definitions, trade by trade, and its bound. */
class MinuteRecordTest {
  /** 09:15:00 IST. */
  private static final long OPEN = Instant.parse("2026-12-07T03:45:00Z").getEpochSecond();

  @Test
  void a_minute_is_its_trades_and_its_volume_the_day_volume_difference_across_it() {
    MinuteRecord record = new MinuteRecord(MinuteRecord.DEFAULT_CAPACITY);
    record.record(OPEN + 5, 100f, 300, 0); // first minute: what traded in it
    record.record(OPEN + 59, 101f, 450, 0);
    record.record(OPEN + 60, 100.5f, 500, 0);
    record.record(OPEN + 90, 102f, 520, 0);
    record.record(OPEN + 100, 99f, 600, 0);
    record.record(OPEN + 250, 98f, 640, 0); // minutes 2 and 3 had no trade: no entry

    assertThat(record.all())
        .containsExactly(
            new RecordedMinute(Instant.ofEpochSecond(OPEN), 100f, 101f, 100f, 101f, 450, 0),
            new RecordedMinute(Instant.ofEpochSecond(OPEN + 60), 100.5f, 102f, 99f, 99f, 150, 0),
            new RecordedMinute(Instant.ofEpochSecond(OPEN + 240), 98f, 98f, 98f, 98f, 40, 0));
  }

  @Test
  void keeps_the_latest_minutes_up_to_its_capacity() {
    MinuteRecord record = new MinuteRecord(3);
    for (int minute = 0; minute < 40; minute++) {
      record.record(OPEN + minute * 60L, 100f + minute, 10L * (minute + 1), 7 + minute);
    }
    assertThat(record.all())
        .extracting(m -> m.start().getEpochSecond())
        .containsExactly(OPEN + 37 * 60, OPEN + 38 * 60, OPEN + 39 * 60);
    assertThat(record.all()).allMatch(m -> m.volume() == 10);
    assertThat(record.all().get(2).openInterest()).isEqualTo(46);
  }

  @Test
  void answers_the_minutes_starting_in_a_range_the_end_excluded() {
    MinuteRecord record = new MinuteRecord(MinuteRecord.DEFAULT_CAPACITY);
    for (int minute = 0; minute < 5; minute++) {
      record.record(OPEN + minute * 60L + 1, 100f, minute + 1, 0);
    }
    assertThat(record.between(Instant.ofEpochSecond(OPEN + 60), Instant.ofEpochSecond(OPEN + 180)))
        .extracting(m -> m.start().getEpochSecond())
        .containsExactly(OPEN + 60, OPEN + 120);
  }
}
