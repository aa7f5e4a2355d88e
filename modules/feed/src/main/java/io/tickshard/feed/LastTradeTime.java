package io.tickshard.feed;

import java.time.Instant;

/**
 * The one place that turns the feed's raw last-trade-time field into an {@link Instant}.
 *
 * <p>UNCONFIRMED (fact sheet §3): the broker's LTT may be epoch seconds shifted by IST (UTC +
 * 19,800 s) rather than true UTC. Packets keep the raw value; this class assumes the IST shift, as
 * observed in captured traffic. If that turns out wrong, only {@link #OFFSET_SECONDS} changes.
 */
public final class LastTradeTime {
  /** Seconds the raw value runs ahead of UTC epoch seconds. */
  public static final int OFFSET_SECONDS = 19_800;

  private LastTradeTime() {}

  public static Instant toInstant(int raw) {
    return Instant.ofEpochSecond(Integer.toUnsignedLong(raw) - OFFSET_SECONDS);
  }

  public static int toRaw(Instant instant) {
    return (int) (instant.getEpochSecond() + OFFSET_SECONDS);
  }
}
