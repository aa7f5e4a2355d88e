package io.tickshard.simulator;

import io.tickshard.feed.Instrument;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulator's market: one {@link MarketWalk} per instrument, shared by every connection that
 * subscribes it, made on the first subscribe and kept for the simulator's life. One price path per
 * instrument is what lets the chart API answer "what the market did" rather than what one
 * connection saw, and keeps an instrument's day volume growing across a reconnect instead of
 * starting over.
 */
final class Market {
  private final long seed;
  private final int chartMinutes;
  private final Map<Instrument, MarketWalk> walks = new ConcurrentHashMap<>();

  /**
   * @param chartMinutes the minutes each instrument's record keeps
   */
  Market(long seed, int chartMinutes) {
    this.seed = seed;
    this.chartMinutes = chartMinutes;
  }

  MarketWalk walk(Instrument instrument) {
    return walks.computeIfAbsent(instrument, i -> new MarketWalk(i, seed, chartMinutes));
  }

  /** The instrument's walk if anyone ever subscribed it. */
  Optional<MarketWalk> existing(Instrument instrument) {
    return Optional.ofNullable(walks.get(instrument));
  }
}
