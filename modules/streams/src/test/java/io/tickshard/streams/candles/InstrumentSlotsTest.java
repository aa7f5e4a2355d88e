package io.tickshard.streams.candles;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The per-socket table at a full account's size: every instrument its own state. */
class InstrumentSlotsTest {
  @Test
  void holds_twenty_five_thousand_instruments_apart_the_same_id_in_two_segments_included() {
    InstrumentSlots slots = new InstrumentSlots();
    for (ExchangeSegment segment : ExchangeSegment.values()) {
      for (int id = 1; id <= 25_000 / ExchangeSegment.values().length + 1; id++) {
        Instrument instrument = Instrument.of(segment, id);
        slots.put(FormingMinute.key(segment, id), new FormingMinute(instrument));
      }
    }
    Set<Instrument> seen = new HashSet<>();
    slots.forEach(state -> seen.add(state.instrument));
    assertThat(seen).hasSize(slots.size()).hasSizeGreaterThanOrEqualTo(25_000);
    for (ExchangeSegment segment : ExchangeSegment.values()) {
      assertThat(slots.get(FormingMinute.key(segment, 1_000)).instrument)
          .isEqualTo(Instrument.of(segment, 1_000));
    }
    assertThat(slots.get(FormingMinute.key(ExchangeSegment.NSE_EQ, 999_999))).isNull();
  }
}
