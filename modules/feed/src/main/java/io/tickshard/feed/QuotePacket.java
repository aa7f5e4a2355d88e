package io.tickshard.feed;

/**
 * Code 4, 50 bytes. Note the wire order: total <em>sell</em> quantity comes before total buy
 * quantity. {@code close} is only meaningful after the market closes.
 */
public record QuotePacket(
    ExchangeSegment segment,
    int securityId,
    float lastPrice,
    int lastQuantity,
    int lastTradeTime,
    float averagePrice,
    int volume,
    int totalSellQuantity,
    int totalBuyQuantity,
    float open,
    float close,
    float high,
    float low)
    implements MarketPacket {
  @Override
  public int responseCode() {
    return ResponseCode.QUOTE;
  }
}
