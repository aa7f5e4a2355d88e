package io.tickshard.bench.baseline;

import io.tickshard.feed.LastTradeTime;
import io.tickshard.feed.QuotePacket;
import java.time.Instant;

/**
 * A quote as the baseline SSE server writes it: the fields and names of a tickshard quote tick, so
 * that viewers read both alike and both servers write JSON of the same size.
 */
record BaselineTick(
    String segment,
    int securityId,
    String kind,
    float ltp,
    int ltq,
    Instant lastTradeTime,
    float averagePrice,
    int volume,
    int totalBuyQuantity,
    int totalSellQuantity,
    float open,
    float high,
    float low,
    float close,
    Instant receivedAt) {

  static BaselineTick of(QuotePacket quote, Instant receivedAt) {
    return new BaselineTick(
        quote.segment().name(),
        quote.securityId(),
        "quote",
        quote.lastPrice(),
        quote.lastQuantity(),
        LastTradeTime.toInstant(quote.lastTradeTime()),
        quote.averagePrice(),
        quote.volume(),
        quote.totalBuyQuantity(),
        quote.totalSellQuantity(),
        quote.open(),
        quote.high(),
        quote.low(),
        quote.close(),
        receivedAt);
  }
}
