package io.tickshard.streams.candles;

import io.tickshard.feed.Instrument;
import java.time.Instant;

/**
 * One instrument's part of a {@link FormingCandles} hand-over: its forming minute, if one forms,
 * and the cumulative day volumes the next minutes' volumes are computed from. A cumulative volume
 * of -1 means not known.
 *
 * @param minute the forming minute's start; {@code null} when no minute is forming
 * @param lastClosedMinute the start of the last minute closed; {@code null} before the first
 */
public record FormingCandle(
    Instrument instrument,
    Instant minute,
    float open,
    float high,
    float low,
    float close,
    long cumulativeBefore,
    long cumulativeAtFirst,
    long cumulativeAtLast,
    Integer openInterest,
    boolean complete,
    Instant lastClosedMinute) {}
