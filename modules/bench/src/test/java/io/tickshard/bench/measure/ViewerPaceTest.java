package io.tickshard.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ViewerPaceTest {
  private final Window window = new Window();
  private final Histogram shared = new ConcurrentHistogram(120_000_000L, 3);
  private final ViewerPace pace = new ViewerPace(window, shared);
  private final TickSequences sequences = new TickSequences();

  /** Tick {@code sequence} of instrument 1, sent at {@code sent}, received {@code lag} later. */
  private void tick(long sequence, long sent, long lag) {
    TickStamp stamp = new TickStamp(1, sequence, sent);
    pace.observe(stamp, sequences.follow(stamp), sent + lag);
  }

  /** A send time after the window's close, whatever the clock's resolution. */
  private static long afterTheClose() {
    return TickStamp.nowMicros() + 1_000;
  }

  @Test
  void a_viewer_that_got_every_tick_in_time_and_one_after_the_window_kept_up() {
    tick(1, TickStamp.nowMicros(), 500);
    window.open();
    tick(2, TickStamp.nowMicros(), 2_000);
    tick(3, TickStamp.nowMicros(), 40_000);
    window.close();
    assertThat(pace.keptUp(1_000_000)).as("nothing sent after the close came yet").isFalse();
    tick(4, afterTheClose(), 1_000);

    assertThat(pace.keptUp(1_000_000)).isTrue();
    assertThat(pace.received()).isEqualTo(2);
    assertThat(pace.worstMicros()).isEqualTo(40_000);
    assertThat(shared.getTotalCount()).isEqualTo(2);
    assertThat(pace.keptUp(10_000)).as("a tick later than the bound").isFalse();
  }

  @Test
  void a_gap_at_the_start_of_the_window_is_a_missed_tick() {
    tick(1, TickStamp.nowMicros(), 500);
    window.open();
    tick(3, TickStamp.nowMicros(), 500);
    window.close();
    tick(4, afterTheClose(), 500);

    assertThat(pace.missed()).isEqualTo(1);
    assertThat(pace.keptUp(1_000_000)).isFalse();
  }
}
