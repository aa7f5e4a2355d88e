package io.tickshard.streams.candles;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import io.tickshard.streams.ticks.Tick;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds one-minute candles from the ticks of one broker socket, on that socket's thread: no lock,
 * and no allocation per tick but a candle per instrument per minute.
 *
 * <p>The definitions are the feed simulator's for its minute record (and the broker's charts'), so
 * that a complete candle equals the simulator's record of that minute exactly:
 *
 * <ul>
 *   <li><b>Minute</b>: a tick belongs to the minute of its last trade time (the broker's exchange
 *       time, whole seconds), not of its arrival: the trade's own time is what the broker's charts
 *       and the simulator's record use, and arrival drifts with the network across a boundary.
 *   <li><b>Open, high, low, close</b> from the last traded price of ticker, quote and full ticks.
 *   <li><b>Volume</b>: the cumulative day volume at the minute's last tick minus that at the last
 *       tick before the minute (however many minutes earlier): what traded within it, not a tick
 *       count. Ticker ticks carry no volume; an instrument on ticker only never has a complete
 *       candle.
 *   <li><b>Open interest</b>: the last of the minute, for derivative segments; OI ticks carry no
 *       time and follow their quote, so they count for the forming minute.
 *   <li><b>Complete</b> only if the day volume before the minute is known and nothing was missed:
 *       the first minute after a start is incomplete (the builder cannot know it saw the minute's
 *       first trade, nor the volume before it). A {@link #gap()} makes the forming minute
 *       incomplete and the day volume unknown until the next tick, so a minute that tick opens is
 *       incomplete too. A handed-over state ({@link #restore}) carries the volumes, so the next
 *       minute after a clean hand-over is complete.
 *   <li><b>Closing</b>: a minute closes when the instrument's next minute begins, or by {@link
 *       #closeUpTo} when its end has passed. A minute without a trade has no candle (neither the
 *       broker's charts nor the simulator's record have one).
 * </ul>
 *
 * <p>A tick whose trade minute is older than the forming one repeats an earlier trade (a quote sent
 * for a depth change, say) and changes nothing; one for a minute already closed by the timer is
 * counted in {@link #lateTicks()}: the caller's grace before closing must exceed the feed's
 * delivery delay.
 */
public final class CandleBuilder {
  private final InstrumentSlots slots = new InstrumentSlots();
  private final Consumer<MinuteCandle> closed;
  private long lateTicks;

  /** {@code closed} receives every candle as its minute closes, on the caller's thread. */
  public CandleBuilder(Consumer<MinuteCandle> closed) {
    this.closed = closed;
  }

  /** A builder that continues from a state another node handed over. */
  public static CandleBuilder restore(FormingCandles state, Consumer<MinuteCandle> closed) {
    CandleBuilder builder = new CandleBuilder(closed);
    for (FormingCandle saved : state.instruments()) {
      Instrument instrument = saved.instrument();
      builder.slots.put(
          FormingMinute.key(instrument.segment(), instrument.securityId()),
          FormingMinute.restore(saved));
    }
    return builder;
  }

  public void onTick(Tick tick) {
    switch (tick.kind()) {
      case "ticker", "quote", "full" -> trade(tick);
      case "oi" -> {
        FormingMinute state = slot(tick);
        if (state.forming() && tick.openInterest() != null) {
          state.openInterest(tick.openInterest());
        }
      }
      default -> {
        // prev_close: no trade.
      }
    }
  }

  private void trade(Tick tick) {
    Float ltp = tick.ltp();
    Instant traded = tick.lastTradeTime();
    if (ltp == null || traded == null) {
      return;
    }
    FormingMinute state = slot(tick);
    long minute = Math.floorDiv(traded.getEpochSecond(), 60);
    long cumulative = tick.volume() == null ? FormingMinute.UNKNOWN : tick.volume();
    if (!state.forming() || minute > state.minute) {
      if (state.lastClosedMinute != FormingMinute.NONE && minute <= state.lastClosedMinute) {
        lateTicks++;
        return;
      }
      if (state.forming()) {
        closed.accept(state.close());
      }
      state.start(minute, ltp, cumulative);
    } else if (minute == state.minute) {
      state.extend(ltp, cumulative);
    } else {
      return;
    }
    if (tick.openInterest() != null) {
      state.openInterest(tick.openInterest());
    }
  }

  /** Closes every minute that ended at or before {@code cutoff} (now, less the caller's grace). */
  public void closeUpTo(Instant cutoff) {
    long cutoffSecond = cutoff.getEpochSecond();
    slots.forEach(
        state -> {
          if (state.forming() && (state.minute + 1) * 60 <= cutoffSecond) {
            closed.accept(state.close());
          }
        });
  }

  /**
   * Ticks may have been missed on every instrument (a reconnect, a stalled feed): the forming
   * minutes are incomplete, and so is each instrument's next, whose volume before is now unknown.
   */
  public void gap() {
    slots.forEach(FormingMinute::gap);
  }

  /** The state to hand over with the socket: forming minutes and last cumulative volumes. */
  public FormingCandles snapshot() {
    List<FormingCandle> instruments = new ArrayList<>(slots.size());
    slots.forEach(state -> instruments.add(state.snapshot()));
    return new FormingCandles(instruments);
  }

  /** Ticks that came for a minute the timer had already closed; their trades are not in it. */
  public long lateTicks() {
    return lateTicks;
  }

  private FormingMinute slot(Tick tick) {
    ExchangeSegment segment = ExchangeSegment.valueOf(tick.segment());
    long key = FormingMinute.key(segment, tick.securityId());
    FormingMinute state = slots.get(key);
    if (state == null) {
      state = new FormingMinute(Instrument.of(segment, tick.securityId()));
      slots.put(key, state);
    }
    return state;
  }
}
