package io.tickshard.feed;

/** One of the five market-depth levels in a full packet (20 bytes on the wire). */
public record DepthLevel(
    int bidQuantity,
    int askQuantity,
    int bidOrders,
    int askOrders,
    float bidPrice,
    float askPrice) {}
