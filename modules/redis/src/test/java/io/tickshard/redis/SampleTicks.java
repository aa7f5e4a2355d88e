package io.tickshard.redis;

import io.tickshard.streams.ticks.Tick;
import java.time.Instant;

/** Ticks as the feed decodes them, by packet kind: the fields that kind carries, the rest null. */
final class SampleTicks {
  private SampleTicks() {}

  static Tick quote(String segment, int id, float ltp, int volume) {
    return new Tick(
        segment,
        id,
        "quote",
        ltp,
        10,
        Instant.now(),
        ltp,
        volume,
        100,
        200,
        ltp - 10,
        ltp + 5,
        ltp - 12,
        ltp - 1,
        null,
        null,
        null,
        null,
        null,
        null,
        Instant.now());
  }

  static Tick ticker(String segment, int id, float ltp) {
    return new Tick(
        segment,
        id,
        "ticker",
        ltp,
        null,
        Instant.now(),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Instant.now());
  }

  static Tick oi(String segment, int id, int openInterest) {
    return new Tick(
        segment,
        id,
        "oi",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        openInterest,
        null,
        null,
        null,
        null,
        Instant.now());
  }

  static Tick prevClose(String segment, int id, float close) {
    return new Tick(
        segment,
        id,
        "prev_close",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        close,
        null,
        null,
        null,
        null,
        null,
        Instant.now());
  }
}
