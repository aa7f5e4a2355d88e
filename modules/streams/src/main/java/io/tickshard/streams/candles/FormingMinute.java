package io.tickshard.streams.candles;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import java.time.Instant;

/**
 * One instrument's candle in the making, and the day volume it is measured from. Mutable and
 * primitive on purpose: it changes on the feed thread for every trade, and 25,000 of them must stay
 * small.
 */
final class FormingMinute {
  static final long NONE = Long.MIN_VALUE;
  static final long UNKNOWN = -1;

  final Instrument instrument;

  /** Whether the segment has open interest (the others' full packets carry a meaningless 0). */
  final boolean derivative;

  long minute = NONE;
  float open;
  float high;
  float low;
  float close;

  /** Cumulative day volume at the last trade before {@link #minute}, at its first, at the last. */
  long cumulativeBefore = UNKNOWN;

  long cumulativeAtFirst = UNKNOWN;
  long cumulativeAtLast = UNKNOWN;
  int openInterest;
  boolean hasOpenInterest;
  boolean complete;
  long lastClosedMinute = NONE;

  FormingMinute(Instrument instrument) {
    this.instrument = instrument;
    this.derivative =
        switch (instrument.segment()) {
          case NSE_FNO, BSE_FNO, MCX_COMM, NSE_CURRENCY, BSE_CURRENCY -> true;
          case IDX_I, NSE_EQ, BSE_EQ -> false;
        };
  }

  boolean forming() {
    return minute != NONE;
  }

  /**
   * The first trade of {@code tradeMinute}. The minute is complete only if the day volume before it
   * is known, which it is when this builder saw the previous trade (no start, hand-over gap or
   * reconnect since) and the volume did not go down (a new trading day).
   */
  void start(long tradeMinute, float ltp, long cumulative) {
    minute = tradeMinute;
    open = ltp;
    high = ltp;
    low = ltp;
    close = ltp;
    hasOpenInterest = false;
    cumulativeBefore = cumulativeAtLast;
    cumulativeAtFirst = cumulative;
    complete =
        cumulativeBefore != UNKNOWN && cumulative != UNKNOWN && cumulative >= cumulativeBefore;
    cumulativeAtLast = cumulative;
  }

  /** A further trade in the forming minute. */
  void extend(float ltp, long cumulative) {
    high = Math.max(high, ltp);
    low = Math.min(low, ltp);
    close = ltp;
    if (cumulative == UNKNOWN || cumulative < cumulativeAtLast) {
      complete = false;
    }
    if (cumulativeAtFirst == UNKNOWN) {
      cumulativeAtFirst = cumulative;
    }
    cumulativeAtLast = cumulative;
  }

  void openInterest(int value) {
    if (derivative) {
      openInterest = value;
      hasOpenInterest = true;
    }
  }

  /** Trades may have been missed: this minute is not whole, nor is the next one's start known. */
  void gap() {
    complete = false;
    cumulativeAtLast = UNKNOWN;
  }

  /** The forming minute as a closed candle; nothing forms afterwards. */
  MinuteCandle close() {
    long volume;
    if (complete) {
      volume = cumulativeAtLast - cumulativeBefore;
    } else if (cumulativeAtFirst != UNKNOWN && cumulativeAtLast != UNKNOWN) {
      // A lower bound (the trade that opened the minute is not in it): repaired later anyway.
      volume = Math.max(0, cumulativeAtLast - cumulativeAtFirst);
    } else {
      volume = 0;
    }
    MinuteCandle candle =
        new MinuteCandle(
            instrument,
            Instant.ofEpochSecond(minute * 60),
            open,
            high,
            low,
            close,
            volume,
            hasOpenInterest ? openInterest : null,
            complete,
            CandleSource.LIVE);
    lastClosedMinute = minute;
    minute = NONE;
    return candle;
  }

  FormingCandle snapshot() {
    return new FormingCandle(
        instrument,
        forming() ? Instant.ofEpochSecond(minute * 60) : null,
        open,
        high,
        low,
        close,
        cumulativeBefore,
        cumulativeAtFirst,
        cumulativeAtLast,
        hasOpenInterest ? openInterest : null,
        complete,
        lastClosedMinute == NONE ? null : Instant.ofEpochSecond(lastClosedMinute * 60));
  }

  static FormingMinute restore(FormingCandle saved) {
    FormingMinute state = new FormingMinute(saved.instrument());
    state.minute = saved.minute() == null ? NONE : epochMinute(saved.minute());
    state.open = saved.open();
    state.high = saved.high();
    state.low = saved.low();
    state.close = saved.close();
    state.cumulativeBefore = saved.cumulativeBefore();
    state.cumulativeAtFirst = saved.cumulativeAtFirst();
    state.cumulativeAtLast = saved.cumulativeAtLast();
    state.hasOpenInterest = saved.openInterest() != null;
    state.openInterest = state.hasOpenInterest ? saved.openInterest() : 0;
    state.complete = saved.complete();
    state.lastClosedMinute =
        saved.lastClosedMinute() == null ? NONE : epochMinute(saved.lastClosedMinute());
    return state;
  }

  static long epochMinute(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), 60);
  }

  /** The slot key of an instrument: its segment's code and security id in one long. */
  static long key(ExchangeSegment segment, int securityId) {
    return ((long) segment.code() << 32) | (securityId & 0xFFFF_FFFFL);
  }
}
