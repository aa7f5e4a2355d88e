package io.tickshard.streams.candles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.LastTradeTime;
import io.tickshard.feed.OiPacket;
import io.tickshard.feed.PrevClosePacket;
import io.tickshard.feed.QuotePacket;
import io.tickshard.feed.TickerPacket;
import io.tickshard.streams.ticks.Tick;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One socket's candles, from ticks made of real packets as the feed decodes them. */
class CandleBuilderTest {
  static final Instrument HDFC_BANK = Instrument.of(ExchangeSegment.NSE_EQ, 1333);
  static final Instrument NIFTY_FUTURE = Instrument.of(ExchangeSegment.NSE_FNO, 35001);

  /** 09:15:00 IST on a trading day. */
  static final Instant OPEN = Instant.parse("2026-12-07T03:45:00Z");

  private final List<MinuteCandle> closed = new ArrayList<>();
  private final CandleBuilder builder = new CandleBuilder(closed::add);

  static Tick quote(Instrument instrument, float ltp, int dayVolume, Instant traded) {
    return Tick.from(
        new QuotePacket(
            instrument.segment(),
            instrument.securityId(),
            ltp,
            10,
            LastTradeTime.toRaw(traded),
            ltp,
            dayVolume,
            1_000,
            1_000,
            ltp,
            ltp,
            ltp,
            ltp),
        // Arrival runs late on purpose: the minute is the trade's, not the arrival's.
        traded.plusMillis(900));
  }

  static Tick oi(Instrument instrument, int openInterest) {
    return Tick.from(
        new OiPacket(instrument.segment(), instrument.securityId(), openInterest), OPEN);
  }

  static Instant at(int minute, int second) {
    return OPEN.plusSeconds(minute * 60L + second);
  }

  @Test
  void ohlc_from_the_last_traded_prices_and_volume_from_the_day_volume_difference() {
    builder.onTick(quote(HDFC_BANK, 100f, 1_000, at(0, 50))); // the minute before: seen whole
    builder.onTick(quote(HDFC_BANK, 101f, 1_100, at(1, 0)));
    builder.onTick(quote(HDFC_BANK, 103.5f, 1_250, at(1, 20)));
    builder.onTick(quote(HDFC_BANK, 99.95f, 1_300, at(1, 40)));
    builder.onTick(quote(HDFC_BANK, 102f, 1_420, at(1, 59)));
    builder.onTick(quote(HDFC_BANK, 102.05f, 1_500, at(2, 1)));

    assertThat(closed).hasSize(2);
    assertThat(closed.get(1))
        .isEqualTo(
            new MinuteCandle(
                HDFC_BANK,
                at(1, 0),
                101f,
                103.5f,
                99.95f,
                102f,
                420,
                null,
                true,
                CandleSource.LIVE));
  }

  @Test
  void the_first_minute_after_a_start_is_incomplete_and_the_next_complete() {
    builder.onTick(quote(HDFC_BANK, 100f, 5_000, at(0, 30)));
    builder.onTick(quote(HDFC_BANK, 100.5f, 5_200, at(0, 45)));
    builder.onTick(quote(HDFC_BANK, 101f, 5_300, at(1, 5)));
    builder.closeUpTo(at(2, 0));

    assertThat(closed).extracting(MinuteCandle::complete).containsExactly(false, true);
    assertThat(closed.get(0).volume()).as("a lower bound, to be repaired").isEqualTo(200);
    assertThat(closed.get(1).volume()).isEqualTo(100);
  }

  @Test
  void a_gap_makes_the_forming_minute_incomplete_and_the_day_volume_unknown_until_a_tick() {
    builder.onTick(quote(HDFC_BANK, 100f, 1_000, at(0, 10))); // first after start: incomplete
    builder.onTick(quote(HDFC_BANK, 100f, 1_100, at(1, 10)));
    builder.gap(); // a reconnect within minute 1
    builder.onTick(quote(HDFC_BANK, 100f, 1_900, at(1, 50))); // the day volume is known again
    builder.onTick(quote(HDFC_BANK, 100f, 2_000, at(3, 10))); // minute 2 had no trade
    builder.onTick(quote(HDFC_BANK, 100f, 2_050, at(3, 20)));
    builder.closeUpTo(at(4, 0));
    builder.gap(); // between minutes: the next minute cannot know what traded before it
    builder.onTick(quote(HDFC_BANK, 100f, 2_600, at(6, 10)));
    builder.onTick(quote(HDFC_BANK, 100f, 2_700, at(7, 10)));
    builder.closeUpTo(at(8, 0));

    assertThat(closed)
        .extracting(MinuteCandle::minute, MinuteCandle::complete, MinuteCandle::volume)
        .containsExactly(
            tuple(at(0, 0), false, 0L),
            tuple(at(1, 0), false, 800L),
            tuple(at(3, 0), true, 150L),
            tuple(at(6, 0), false, 0L),
            tuple(at(7, 0), true, 100L));
  }

  @Test
  void the_timer_closes_a_minute_once_it_has_ended_and_a_minute_without_trades_has_no_candle() {
    builder.onTick(quote(HDFC_BANK, 100f, 1_000, at(0, 10)));
    builder.onTick(quote(HDFC_BANK, 100f, 1_100, at(1, 10)));
    builder.closeUpTo(at(1, 59));
    assertThat(closed).hasSize(1);
    builder.closeUpTo(at(2, 0));
    assertThat(closed).hasSize(2);
    builder.closeUpTo(at(5, 0));
    assertThat(closed).hasSize(2);

    builder.onTick(quote(HDFC_BANK, 100.5f, 1_150, at(1, 59))); // after its minute was closed
    assertThat(builder.lateTicks()).isEqualTo(1);
    builder.onTick(quote(HDFC_BANK, 101f, 1_400, at(6, 0)));
    builder.closeUpTo(at(7, 0));
    assertThat(closed.get(2))
        .as("the volume before is the last trade's, minutes ago")
        .extracting(MinuteCandle::volume, MinuteCandle::complete)
        .containsExactly(300L, true);
  }

  @Test
  void a_tick_repeating_an_older_trade_changes_nothing() {
    builder.onTick(quote(HDFC_BANK, 100f, 1_000, at(0, 10)));
    builder.onTick(quote(HDFC_BANK, 101f, 1_100, at(1, 10)));
    builder.onTick(quote(HDFC_BANK, 90f, 1_000, at(0, 10)));
    builder.closeUpTo(at(2, 0));
    assertThat(closed.get(1).low()).isEqualTo(101f);
  }

  @Test
  void open_interest_for_derivatives_only_and_ticker_ticks_give_no_complete_volume() {
    builder.onTick(quote(NIFTY_FUTURE, 24_000f, 500, at(0, 10)));
    builder.onTick(oi(NIFTY_FUTURE, 1_200_000));
    builder.onTick(quote(NIFTY_FUTURE, 24_010f, 600, at(1, 10)));
    builder.onTick(oi(NIFTY_FUTURE, 1_200_450));
    builder.onTick(oi(HDFC_BANK, 5));
    builder.onTick(Tick.from(new PrevClosePacket(ExchangeSegment.NSE_EQ, 1333, 99f, 0), at(1, 0)));
    Instrument index = Instrument.of(ExchangeSegment.IDX_I, 13);
    builder.onTick(
        Tick.from(
            new TickerPacket(ExchangeSegment.IDX_I, 13, 24_000f, LastTradeTime.toRaw(at(0, 5))),
            at(0, 5)));
    builder.onTick(
        Tick.from(
            new TickerPacket(ExchangeSegment.IDX_I, 13, 24_001f, LastTradeTime.toRaw(at(1, 5))),
            at(1, 5)));
    builder.closeUpTo(at(2, 0));

    assertThat(closed)
        .filteredOn(c -> c.instrument().equals(NIFTY_FUTURE))
        .extracting(MinuteCandle::openInterest)
        .containsExactly(1_200_000, 1_200_450);
    assertThat(closed).filteredOn(c -> c.instrument().equals(HDFC_BANK)).isEmpty();
    assertThat(closed)
        .filteredOn(c -> c.instrument().equals(index))
        .extracting(MinuteCandle::complete, MinuteCandle::openInterest)
        .containsOnly(tuple(false, null));
  }

  @Test
  void a_handed_over_state_continues_the_forming_minute_on_another_builder() {
    builder.onTick(quote(NIFTY_FUTURE, 24_000f, 500, at(0, 10)));
    builder.onTick(quote(NIFTY_FUTURE, 24_005f, 560, at(1, 10)));
    builder.onTick(oi(NIFTY_FUTURE, 7_000));
    FormingCandles handedOver = builder.snapshot();

    List<MinuteCandle> elsewhere = new ArrayList<>();
    CandleBuilder next = CandleBuilder.restore(handedOver, elsewhere::add);
    assertThat(next.snapshot()).isEqualTo(handedOver);
    next.onTick(quote(NIFTY_FUTURE, 23_990f, 600, at(1, 40)));
    next.onTick(quote(NIFTY_FUTURE, 23_995f, 650, at(2, 5)));
    next.closeUpTo(at(3, 0));

    assertThat(elsewhere)
        .containsExactly(
            new MinuteCandle(
                NIFTY_FUTURE,
                at(1, 0),
                24_005f,
                24_005f,
                23_990f,
                23_990f,
                100,
                7_000,
                true,
                CandleSource.LIVE),
            new MinuteCandle(
                NIFTY_FUTURE,
                at(2, 0),
                23_995f,
                23_995f,
                23_995f,
                23_995f,
                50,
                null,
                true,
                CandleSource.LIVE));
  }
}
