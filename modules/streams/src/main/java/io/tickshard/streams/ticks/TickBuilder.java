package io.tickshard.streams.ticks;

import java.time.Instant;

/**
 * Assembles a {@link Tick} by field name. A tick has twenty-one components, most of them {@code
 * null} for any one packet kind; naming each field that is set keeps the wire's easily swapped
 * pairs (buy/sell, open/close/high/low) from being passed in the wrong position.
 */
final class TickBuilder {
  private final String segment;
  private final int securityId;
  private final String kind;
  private final Instant receivedAt;
  private Float ltp;
  private Integer ltq;
  private Instant lastTradeTime;
  private Float averagePrice;
  private Integer volume;
  private Integer totalBuyQuantity;
  private Integer totalSellQuantity;
  private Float open;
  private Float high;
  private Float low;
  private Float close;
  private Float previousClose;
  private Integer openInterest;
  private Float bidPrice;
  private Integer bidQuantity;
  private Float askPrice;
  private Integer askQuantity;

  /** The identity every tick has; every other field stays {@code null} until set. */
  TickBuilder(String segment, int securityId, String kind, Instant receivedAt) {
    this.segment = segment;
    this.securityId = securityId;
    this.kind = kind;
    this.receivedAt = receivedAt;
  }

  TickBuilder ltp(Float value) {
    ltp = value;
    return this;
  }

  TickBuilder ltq(Integer value) {
    ltq = value;
    return this;
  }

  TickBuilder lastTradeTime(Instant value) {
    lastTradeTime = value;
    return this;
  }

  TickBuilder averagePrice(Float value) {
    averagePrice = value;
    return this;
  }

  TickBuilder volume(Integer value) {
    volume = value;
    return this;
  }

  TickBuilder totalBuyQuantity(Integer value) {
    totalBuyQuantity = value;
    return this;
  }

  TickBuilder totalSellQuantity(Integer value) {
    totalSellQuantity = value;
    return this;
  }

  TickBuilder open(Float value) {
    open = value;
    return this;
  }

  TickBuilder high(Float value) {
    high = value;
    return this;
  }

  TickBuilder low(Float value) {
    low = value;
    return this;
  }

  TickBuilder close(Float value) {
    close = value;
    return this;
  }

  TickBuilder previousClose(Float value) {
    previousClose = value;
    return this;
  }

  TickBuilder openInterest(Integer value) {
    openInterest = value;
    return this;
  }

  TickBuilder bidPrice(Float value) {
    bidPrice = value;
    return this;
  }

  TickBuilder bidQuantity(Integer value) {
    bidQuantity = value;
    return this;
  }

  TickBuilder askPrice(Float value) {
    askPrice = value;
    return this;
  }

  TickBuilder askQuantity(Integer value) {
    askQuantity = value;
    return this;
  }

  Tick build() {
    return new Tick(
        segment,
        securityId,
        kind,
        ltp,
        ltq,
        lastTradeTime,
        averagePrice,
        volume,
        totalBuyQuantity,
        totalSellQuantity,
        open,
        high,
        low,
        close,
        previousClose,
        openInterest,
        bidPrice,
        bidQuantity,
        askPrice,
        askQuantity,
        receivedAt);
  }
}
