package io.tickshard.feed;

/** Code 5, 12 bytes: open interest, sent alongside quote packets for derivatives. */
public record OiPacket(ExchangeSegment segment, int securityId, int openInterest)
    implements MarketPacket {
  @Override
  public int responseCode() {
    return ResponseCode.OI;
  }
}
