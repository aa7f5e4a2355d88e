package io.tickshard.streams.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.OiPacket;
import io.tickshard.feed.PrevClosePacket;
import io.tickshard.feed.QuotePacket;
import io.tickshard.feed.TickerPacket;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.TickTest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A viewer that joins late gets one merged tick per instrument, in the stream key's order. */
class LatestValuesTest {
  private static final Instant T0 = Instant.parse("2025-01-03T04:00:00Z");

  private static final Instrument RELIANCE = Instrument.of(ExchangeSegment.NSE_EQ, 2885);
  private static final Instrument INFY = Instrument.of(ExchangeSegment.NSE_EQ, 1594);
  private static final Instrument NIFTY_FUT = Instrument.of(ExchangeSegment.NSE_FNO, 55796);
  private static final Instrument SAME_ID_IN_FNO = Instrument.of(ExchangeSegment.NSE_FNO, 2885);

  private final LatestValues latest = new LatestValues();

  private static Tick prevClose(Instrument instrument, float previousClose, int second) {
    return Tick.from(
        new PrevClosePacket(instrument.segment(), instrument.securityId(), previousClose, 0),
        T0.plusSeconds(second));
  }

  private static Tick quote(Instrument instrument, float ltp, int second) {
    return Tick.from(
        new QuotePacket(
            instrument.segment(),
            instrument.securityId(),
            ltp,
            10,
            TickTest.RAW_LTT,
            ltp,
            1_000,
            500,
            400,
            ltp - 1,
            0f,
            ltp + 1,
            ltp - 2),
        T0.plusSeconds(second));
  }

  private static Tick ticker(Instrument instrument, float ltp, int second) {
    return Tick.from(
        new TickerPacket(instrument.segment(), instrument.securityId(), ltp, TickTest.RAW_LTT),
        T0.plusSeconds(second));
  }

  @Test
  void nothing_received_gives_an_empty_snapshot() {
    assertThat(latest.snapshot(List.of(RELIANCE, INFY))).isEmpty();
  }

  @Test
  void prev_close_then_quote_merge_into_one_tick() {
    latest.update(prevClose(RELIANCE, 2_900.5f, 0));
    latest.update(quote(RELIANCE, 2_925.0f, 1));

    List<Tick> snapshot = latest.snapshot(List.of(RELIANCE));

    assertThat(snapshot).hasSize(1);
    Tick merged = snapshot.get(0);
    assertThat(merged.instrument()).isEqualTo(RELIANCE);
    assertThat(merged.previousClose()).isEqualTo(2_900.5f);
    assertThat(merged.ltp()).isEqualTo(2_925.0f);
    assertThat(merged.volume()).isEqualTo(1_000);
    assertThat(merged.kind()).isEqualTo("quote");
    assertThat(merged.receivedAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void later_updates_replace_earlier_values_and_keep_the_rest() {
    latest.update(prevClose(RELIANCE, 2_900.5f, 0));
    latest.update(quote(RELIANCE, 2_925.0f, 1));
    latest.update(ticker(RELIANCE, 2_930.0f, 2));

    Tick merged = latest.snapshot(List.of(RELIANCE)).get(0);

    assertThat(merged.ltp()).isEqualTo(2_930.0f);
    assertThat(merged.previousClose()).isEqualTo(2_900.5f);
    assertThat(merged.volume()).isEqualTo(1_000);
    assertThat(merged.kind()).isEqualTo("ticker");
  }

  @Test
  void the_snapshot_follows_the_given_order_not_the_arrival_order() {
    latest.update(quote(NIFTY_FUT, 23_500f, 0));
    latest.update(quote(INFY, 1_900f, 1));
    latest.update(quote(RELIANCE, 2_925f, 2));

    List<Tick> snapshot = latest.snapshot(List.of(INFY, RELIANCE, NIFTY_FUT));

    assertThat(snapshot).extracting(Tick::instrument).containsExactly(INFY, RELIANCE, NIFTY_FUT);
    assertThat(
            latest.snapshot(List.of(NIFTY_FUT, INFY, RELIANCE)).stream()
                .map(Tick::instrument)
                .toList())
        .containsExactly(NIFTY_FUT, INFY, RELIANCE);
  }

  @Test
  void instruments_without_any_update_are_left_out() {
    latest.update(quote(RELIANCE, 2_925f, 0));
    latest.update(Tick.from(new OiPacket(ExchangeSegment.NSE_FNO, 55796, 1_234), T0));

    List<Tick> snapshot = latest.snapshot(List.of(INFY, RELIANCE, SAME_ID_IN_FNO, NIFTY_FUT));

    assertThat(snapshot).extracting(Tick::instrument).containsExactly(RELIANCE, NIFTY_FUT);
    assertThat(snapshot.get(1).openInterest()).isEqualTo(1_234);
  }

  @Test
  void instruments_not_in_the_order_are_left_out() {
    latest.update(quote(RELIANCE, 2_925f, 0));
    latest.update(quote(INFY, 1_900f, 0));

    assertThat(latest.snapshot(List.of(INFY))).extracting(Tick::instrument).containsExactly(INFY);
  }

  @Test
  void the_same_id_in_two_segments_is_kept_apart() {
    latest.update(prevClose(RELIANCE, 2_900f, 0));
    latest.update(quote(SAME_ID_IN_FNO, 2_950f, 1));

    List<Tick> snapshot = latest.snapshot(List.of(RELIANCE, SAME_ID_IN_FNO));

    assertThat(snapshot).hasSize(2);
    assertThat(snapshot.get(0).previousClose()).isEqualTo(2_900f);
    assertThat(snapshot.get(0).ltp()).isNull();
    assertThat(snapshot.get(1).ltp()).isEqualTo(2_950f);
    assertThat(snapshot.get(1).previousClose()).isNull();
  }

  @Test
  void a_security_id_no_instrument_can_have_is_skipped_without_throwing() {
    latest.update(
        Tick.from(new TickerPacket(ExchangeSegment.NSE_EQ, 0, 10f, TickTest.RAW_LTT), T0));
    latest.update(
        Tick.from(new TickerPacket(ExchangeSegment.NSE_EQ, -5, 10f, TickTest.RAW_LTT), T0));
    latest.update(quote(RELIANCE, 2_925f, 1));

    assertThat(latest.snapshot(List.of(RELIANCE)))
        .extracting(Tick::instrument)
        .containsExactly(RELIANCE);
  }
}
