package io.tickshard.streams.candles;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Whatever the trades, the builder's candles are the minutes as the feed simulator records them
 * (the definitions in {@code MinuteRecord}, computed here from the whole trade list): every
 * complete candle equal, every minute with a trade present, only the first after the start
 * incomplete.
 */
class CandlePropertiesTest {
  private static final Instrument INSTRUMENT = Instrument.of(ExchangeSegment.NSE_EQ, 2885);
  private static final int DAY_VOLUME_AT_START = 250_000;

  /** One trade: seconds after the previous, price move in 0.05 ticks, quantity. */
  record Trade(int afterSeconds, int ticks, int quantity) {}

  @Provide
  Arbitrary<Trade> trades() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 150),
            Arbitraries.integers().between(-6, 6),
            Arbitraries.integers().between(1, 500))
        .as(Trade::new);
  }

  @Property(tries = 300)
  void complete_candles_equal_the_recorded_minutes(
      @ForAll @Size(min = 1, max = 300) List<@From("trades") Trade> trades,
      @ForAll("starts") int startSecond) {
    List<MinuteCandle> built = new ArrayList<>();
    CandleBuilder builder = new CandleBuilder(built::add);
    Map<Instant, MinuteCandle> recorded = new LinkedHashMap<>();

    Instant time = CandleBuilderTest.OPEN.plusSeconds(startSecond);
    int priceTicks = 20_000; // 1,000.00
    int dayVolume = DAY_VOLUME_AT_START;
    long volumeBeforeMinute = 0;
    Instant minute = null;
    for (Trade trade : trades) {
      time = time.plusSeconds(trade.afterSeconds());
      priceTicks = Math.max(1, priceTicks + trade.ticks());
      int dayVolumeBefore = dayVolume;
      dayVolume += trade.quantity();
      float ltp = priceTicks / 20f;
      Instant start = Instant.ofEpochSecond(Math.floorDiv(time.getEpochSecond(), 60) * 60);
      if (!start.equals(minute)) {
        volumeBeforeMinute = dayVolumeBefore;
        minute = start;
        recorded.put(
            start,
            new MinuteCandle(
                INSTRUMENT, start, ltp, ltp, ltp, ltp, 0, null, true, CandleSource.LIVE));
      }
      MinuteCandle so = recorded.get(start);
      recorded.put(
          start,
          new MinuteCandle(
              INSTRUMENT,
              start,
              so.open(),
              Math.max(so.high(), ltp),
              Math.min(so.low(), ltp),
              ltp,
              dayVolume - volumeBeforeMinute,
              null,
              true,
              CandleSource.LIVE));
      builder.onTick(CandleBuilderTest.quote(INSTRUMENT, ltp, dayVolume, time));
    }
    builder.closeUpTo(time.plusSeconds(60));

    assertThat(built).extracting(MinuteCandle::minute).containsExactlyElementsOf(recorded.keySet());
    assertThat(built.get(0).complete()).isFalse();
    assertThat(built.subList(1, built.size()))
        .containsExactlyElementsOf(new ArrayList<>(recorded.values()).subList(1, built.size()));
  }

  @Provide
  Arbitrary<Integer> starts() {
    return Arbitraries.integers().between(0, 59);
  }
}
