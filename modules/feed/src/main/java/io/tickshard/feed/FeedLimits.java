package io.tickshard.feed;

/** The broker's documented limits (fact sheet §2). */
public final class FeedLimits {
  /** Instruments one JSON subscribe or unsubscribe message may carry. */
  public static final int MAX_INSTRUMENTS_PER_REQUEST = 100;

  /** Instruments one connection may have subscribed at once. */
  public static final int MAX_INSTRUMENTS_PER_CONNECTION = 5_000;

  /** Connections one client id may hold; the next one evicts the oldest with reason 805. */
  public static final int MAX_CONNECTIONS_PER_CLIENT = 5;

  private FeedLimits() {}
}
