package io.tickshard.streams.candles;

import io.tickshard.feed.Instrument;
import java.time.Instant;

/**
 * One instrument's one-minute candle (see {@link CandleBuilder} for how each field is defined).
 *
 * @param minute the minute's first second in exchange time (IST minutes share UTC's boundaries)
 * @param volume traded within the minute: the difference of the broker's cumulative day volume
 *     across it
 * @param openInterest the last open interest of the minute; {@code null} for a segment without one,
 *     or when none arrived
 * @param complete whether every trade of the minute is known to have been seen; an incomplete
 *     candle is to be repaired from the broker's chart API
 */
public record MinuteCandle(
    Instrument instrument,
    Instant minute,
    float open,
    float high,
    float low,
    float close,
    long volume,
    Integer openInterest,
    boolean complete,
    CandleSource source) {}
