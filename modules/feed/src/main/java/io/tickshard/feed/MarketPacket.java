package io.tickshard.feed;

/** A packet about one instrument: ticker, quote, OI, previous close or full. */
public sealed interface MarketPacket extends FeedPacket
    permits TickerPacket, QuotePacket, OiPacket, PrevClosePacket, FullPacket {
  ExchangeSegment segment();

  int securityId();

  default Instrument instrument() {
    return new Instrument(segment(), securityId());
  }
}
