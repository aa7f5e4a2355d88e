package io.tickshard.redis;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.OiPacket;
import io.tickshard.feed.PrevClosePacket;
import io.tickshard.feed.QuotePacket;
import io.tickshard.feed.TickerPacket;
import io.tickshard.streams.ticks.Tick;
import java.time.Instant;

/**
 * Ticks as the feed decodes them ({@link Tick#from} over each packet kind): the fields that kind
 * carries, the rest null.
 */
final class SampleTicks {
  private SampleTicks() {}

  static Tick quote(String segment, int id, float ltp, int volume) {
    return Tick.from(
        new QuotePacket(
            ExchangeSegment.valueOf(segment),
            id,
            ltp,
            10,
            tradeTime(),
            ltp,
            volume,
            200,
            100,
            ltp - 10,
            ltp - 1,
            ltp + 5,
            ltp - 12),
        Instant.now());
  }

  static Tick ticker(String segment, int id, float ltp) {
    return Tick.from(
        new TickerPacket(ExchangeSegment.valueOf(segment), id, ltp, tradeTime()), Instant.now());
  }

  static Tick oi(String segment, int id, int openInterest) {
    return Tick.from(
        new OiPacket(ExchangeSegment.valueOf(segment), id, openInterest), Instant.now());
  }

  static Tick prevClose(String segment, int id, float close) {
    return Tick.from(
        new PrevClosePacket(ExchangeSegment.valueOf(segment), id, close, 0), Instant.now());
  }

  /** Now, in the packets' IST-shifted seconds. */
  private static int tradeTime() {
    return (int) (Instant.now().getEpochSecond() + 19_800);
  }
}
