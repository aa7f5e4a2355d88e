package io.tickshard.simulator;

import io.tickshard.feed.DepthLevel;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FullPacket;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.LastTradeTime;
import io.tickshard.feed.MarketPacket;
import io.tickshard.feed.OiPacket;
import io.tickshard.feed.PrevClosePacket;
import io.tickshard.feed.QuotePacket;
import io.tickshard.feed.TickerPacket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded random-walk market for one instrument: the same seed gives the same prices, so tests and
 * demos can be repeated. One walk per instrument for the whole simulator ({@link Market}): every
 * connection that subscribes the instrument samples the same market, its day volume keeps growing
 * across reconnects, and {@link #minutes()} records every trade it sent. Each call to {@link #next}
 * is one trade, sent to the one connection that asked; a second connection on the same instrument
 * gets the trades of its own ticks, so each sees part of the market, as the broker's feed does.
 *
 * <p>Stamped (for the load tool, {@code --stamp-ticks}), a quote or full packet says when it was
 * made and which it is, in fields a viewer sees unchanged: the last trade time is the send second,
 * the total sell quantity the microseconds within it, and the volume the connection's own count of
 * this instrument's packets (1, 2, 3, ...), so a gap is a lost tick. The record keeps the market's
 * real volume either way.
 */
final class MarketWalk {
  private static final float TICK_SIZE = 0.05f;

  private final Instrument instrument;
  private final Random random;
  private final boolean derivative;
  private final float previousClose;
  private final int previousOpenInterest;
  private final float open;
  private final MinuteRecord minutes;
  private float price;
  private float high;
  private float low;
  private int volume;
  private long lastTradeSecond = Long.MIN_VALUE;
  private double notional;
  private int openInterest;
  private int openInterestHigh;
  private int openInterestLow;

  MarketWalk(Instrument instrument, long seed) {
    this(instrument, seed, MinuteRecord.DEFAULT_CAPACITY);
  }

  MarketWalk(Instrument instrument, long seed, int chartMinutes) {
    this.instrument = instrument;
    this.minutes = new MinuteRecord(chartMinutes);
    this.random =
        new Random(
            seed * 1_000_003L
                + instrument.segment().code() * 1_000_000_007L
                + instrument.securityId());
    this.derivative =
        switch (instrument.segment()) {
          case NSE_FNO, BSE_FNO, MCX_COMM, NSE_CURRENCY, BSE_CURRENCY -> true;
          default -> false;
        };
    // Drawn either way, so that the rest of an instrument's walk does not depend on the table.
    float randomLevel = 50 + random.nextFloat() * 2_950;
    this.previousClose = roundToTick(ReferencePrices.of(instrument).orElse(randomLevel));
    this.previousOpenInterest = derivative ? 10_000 + random.nextInt(5_000_000) : 0;
    this.open = roundToTick(previousClose * (1 + (float) random.nextGaussian() * 0.005f));
    this.price = open;
    this.high = open;
    this.low = open;
    this.openInterest = previousOpenInterest;
    this.openInterestHigh = openInterest;
    this.openInterestLow = openInterest;
  }

  /** Sent once for every subscribe, in every mode. */
  PrevClosePacket previousClose() {
    return new PrevClosePacket(
        instrument.segment(), instrument.securityId(), previousClose, previousOpenInterest);
  }

  /** What this instrument's market sent, minute by minute. */
  MinuteRecord minutes() {
    return minutes;
  }

  /**
   * Moves the market one trade, records it, and returns what a subscriber in {@code mode} receives;
   * {@code stamp} > 0 stamps the packet for the load tool (its volume field is then {@code stamp}).
   * Synchronized: connections tick on their own stages.
   */
  synchronized List<MarketPacket> next(FeedMode mode, Instant now, int stamp) {
    trade();
    // Connections' batches interleave: a trade never goes back in time, so that its packet and the
    // record put it in the same minute.
    lastTradeSecond = Math.max(lastTradeSecond, now.getEpochSecond());
    minutes.record(lastTradeSecond, price, volume, openInterest);
    ExchangeSegment segment = instrument.segment();
    int id = instrument.securityId();
    int ltt = LastTradeTime.toRaw(Instant.ofEpochSecond(lastTradeSecond));
    int lastQuantity = 1 + random.nextInt(500);
    int sellQuantity = 1_000 + random.nextInt(100_000);
    int buyQuantity = 1_000 + random.nextInt(100_000);
    float average = (float) (notional / Math.max(1, volume));
    int sentVolume = volume;
    if (stamp > 0) {
      sentVolume = stamp;
      sellQuantity = now.getNano() / 1_000;
    }
    List<MarketPacket> packets = new ArrayList<>(2);
    switch (mode) {
      case TICKER -> packets.add(new TickerPacket(segment, id, price, ltt));
      case QUOTE -> {
        packets.add(
            new QuotePacket(
                segment,
                id,
                price,
                lastQuantity,
                ltt,
                average,
                sentVolume,
                sellQuantity,
                buyQuantity,
                open,
                previousClose,
                high,
                low));
        if (derivative) {
          packets.add(new OiPacket(segment, id, openInterest));
        }
      }
      case FULL ->
          packets.add(
              new FullPacket(
                  segment,
                  id,
                  price,
                  lastQuantity,
                  ltt,
                  average,
                  sentVolume,
                  sellQuantity,
                  buyQuantity,
                  openInterest,
                  openInterestHigh,
                  openInterestLow,
                  open,
                  previousClose,
                  high,
                  low,
                  depth()));
    }
    return packets;
  }

  private void trade() {
    price = Math.max(TICK_SIZE, roundToTick(price * (1 + (float) random.nextGaussian() * 0.001f)));
    high = Math.max(high, price);
    low = Math.min(low, price);
    int quantity = 1 + random.nextInt(500);
    volume += quantity;
    notional += (double) quantity * price;
    if (derivative) {
      openInterest = Math.max(0, openInterest + random.nextInt(2_001) - 1_000);
      openInterestHigh = Math.max(openInterestHigh, openInterest);
      openInterestLow = Math.min(openInterestLow, openInterest);
    }
  }

  private List<DepthLevel> depth() {
    List<DepthLevel> levels = new ArrayList<>(5);
    for (int level = 0; level < 5; level++) {
      float bid = Math.max(TICK_SIZE, roundToTick(price - TICK_SIZE * (level + 1)));
      float ask = roundToTick(price + TICK_SIZE * (level + 1));
      levels.add(
          new DepthLevel(
              1 + random.nextInt(5_000),
              1 + random.nextInt(5_000),
              1 + random.nextInt(50),
              1 + random.nextInt(50),
              bid,
              ask));
    }
    return levels;
  }

  /** To the 0.05 tick; dividing by 20 (exact) rather than multiplying by 0.05f (inexact). */
  private static float roundToTick(float value) {
    return Math.round(value * 20) / 20f;
  }
}
