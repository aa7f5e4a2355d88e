package io.tickshard.feed;

/** Code 6, 16 bytes: sent once per subscribe, in every mode, so late viewers need a snapshot. */
public record PrevClosePacket(
    ExchangeSegment segment, int securityId, float previousClose, int previousOpenInterest)
    implements MarketPacket {
  @Override
  public int responseCode() {
    return ResponseCode.PREV_CLOSE;
  }
}
