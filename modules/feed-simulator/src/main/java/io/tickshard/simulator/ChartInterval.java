package io.tickshard.simulator;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The candle sizes the broker's intraday chart API offers, in minutes. Candles larger than a minute
 * are folded from the one-minute record in buckets counted from the session open (09:15 IST) of
 * each IST day, so a 60-minute candle spans 09:15–10:14 as on the broker's charts (UNCONFIRMED for
 * 25 and 60; 1, 5 and 15 fall on clock boundaries either way).
 */
enum ChartInterval {
  ONE(1),
  FIVE(5),
  FIFTEEN(15),
  TWENTY_FIVE(25),
  SIXTY(60);

  /** IST is UTC + 5:30; the session opens at 09:15 IST, i.e. 555 minutes into the IST day. */
  private static final int IST_OFFSET_MINUTES = 330;

  private static final int SESSION_OPEN_MINUTE = 555;

  final int minutes;

  ChartInterval(int minutes) {
    this.minutes = minutes;
  }

  /** The interval named by the request's {@code "interval"} value ("1", "5", ...). */
  static Optional<ChartInterval> of(String text) {
    return Arrays.stream(values()).filter(i -> String.valueOf(i.minutes).equals(text)).findFirst();
  }

  /** The start of the candle that the minute starting at {@code minuteStart} falls in. */
  Instant bucketOf(Instant minuteStart) {
    long epochMinute = Math.floorDiv(minuteStart.getEpochSecond(), 60);
    long minuteOfIstDay = Math.floorMod(epochMinute + IST_OFFSET_MINUTES, 1440);
    long intoBucket = Math.floorMod(minuteOfIstDay - SESSION_OPEN_MINUTE, minutes);
    return Instant.ofEpochSecond((epochMinute - intoBucket) * 60);
  }
}
