package io.tickshard.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ViewerTallyTest {
  @Test
  void only_ticks_sent_in_the_window_count_however_late_they_arrive() throws Exception {
    Window window = new Window();
    ViewerTally tally = new ViewerTally();
    long before = TickStamp.nowMicros();
    tally.observe(new TickStamp(1, 1, before), before + 10, window);
    window.open();
    long sent = TickStamp.nowMicros();
    tally.observe(new TickStamp(1, 2, sent), sent + 2_500, window);
    window.close();
    tally.observe(new TickStamp(1, 3, sent + 1), sent + 900_000, window); // late, but sent inside
    tally.observe(new TickStamp(1, 4, TickStamp.nowMicros() + 10), 0, window);

    assertThat(tally.received()).isEqualTo(2);
    assertThat(tally.latency().getMaxValue()).isBetween(899_000L, 901_000L);
    assertThat(tally.missed()).isZero();
  }

  @Test
  void a_gap_in_an_instruments_sequence_is_counted_as_missed_ticks() {
    Window window = new Window();
    window.open();
    ViewerTally tally = new ViewerTally();
    long now = TickStamp.nowMicros();
    tally.observe(new TickStamp(7, 10, now), now, window);
    tally.observe(new TickStamp(8, 1, now), now, window);
    tally.observe(new TickStamp(7, 14, now), now, window); // 11, 12, 13 never came
    tally.observe(new TickStamp(8, 2, now), now, window);
    tally.observe(new TickStamp(8, 2, now), now, window); // again: out of order

    assertThat(tally.missed()).isEqualTo(3);
    assertThat(tally.outOfOrder()).isEqualTo(1);
  }
}
