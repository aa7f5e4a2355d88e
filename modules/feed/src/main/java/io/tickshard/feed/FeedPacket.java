package io.tickshard.feed;

/** A decoded binary packet whose layout the fact sheet documents. */
public sealed interface FeedPacket permits MarketPacket, DisconnectPacket {
  /** The response code in byte 0 of the packet. */
  int responseCode();
}
