package io.tickshard.feed;

/**
 * Code 2, 16 bytes: last traded price and time. {@code lastTradeTime} is raw (see {@link
 * LastTradeTime}).
 */
public record TickerPacket(
    ExchangeSegment segment, int securityId, float lastPrice, int lastTradeTime)
    implements MarketPacket {
  @Override
  public int responseCode() {
    return ResponseCode.TICKER;
  }
}
