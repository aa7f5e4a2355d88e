package io.tickshard.streams.candles;

/**
 * Where a candle's numbers come from; kept with each candle so a repaired one can be told apart.
 */
public enum CandleSource {
  /** Built from the ticks of tickshard's own broker socket. */
  LIVE,
  /** Fetched from the broker's intraday chart API for a minute the socket did not see whole. */
  REPAIRED
}
