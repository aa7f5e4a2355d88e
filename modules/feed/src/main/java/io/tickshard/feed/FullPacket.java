package io.tickshard.feed;

import java.util.List;

/** Code 8, 162 bytes: quote fields, open interest with its day range, OHLC, five depth levels. */
public record FullPacket(
    ExchangeSegment segment,
    int securityId,
    float lastPrice,
    int lastQuantity,
    int lastTradeTime,
    float averagePrice,
    int volume,
    int totalSellQuantity,
    int totalBuyQuantity,
    int openInterest,
    int openInterestDayHigh,
    int openInterestDayLow,
    float open,
    float close,
    float high,
    float low,
    List<DepthLevel> depth)
    implements MarketPacket {

  public FullPacket {
    depth = List.copyOf(depth);
    if (depth.size() != ResponseCode.DEPTH_LEVELS) {
      throw new IllegalArgumentException(
          "a full packet has " + ResponseCode.DEPTH_LEVELS + " depth levels, not " + depth.size());
    }
  }

  @Override
  public int responseCode() {
    return ResponseCode.FULL;
  }
}
