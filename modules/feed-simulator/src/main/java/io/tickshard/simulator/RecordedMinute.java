package io.tickshard.simulator;

import java.time.Instant;

/**
 * One minute of one instrument as the simulator sent it ({@link MinuteRecord} defines each field).
 *
 * @param start the minute's first second (epoch seconds divisible by 60)
 * @param openInterest the last open interest sent in the minute; zero for a segment without one
 */
public record RecordedMinute(
    Instant start, float open, float high, float low, float close, long volume, int openInterest) {}
