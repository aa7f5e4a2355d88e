package io.tickshard.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one instrument's market sent, minute by minute: the simulator's own record, which its
 * intraday chart API answers and tickshard's candles are held equal to.
 *
 * <p>Definitions (tickshard's candle builder computes the same from the same packets):
 *
 * <ul>
 *   <li>A trade belongs to the minute of its trade time's epoch second, floored to 60. IST is UTC +
 *       5:30, so IST minutes and UTC minutes share their boundaries.
 *   <li>Open is the first LTP sent in the minute, close the last, high and low the extremes.
 *   <li>Volume is the cumulative day volume at the minute's last trade minus the cumulative day
 *       volume at the last trade before the minute (whatever minute that was; zero before the
 *       instrument's first trade, so a first minute's volume is what traded within it).
 *   <li>Open interest is the last sent in the minute (zero for a segment without one).
 *   <li>A minute without a trade has no entry, as the broker's charts have no candle for it.
 * </ul>
 *
 * <p>Compact on purpose: a 5,000-instrument day is two million minutes, so the minutes live in
 * parallel primitive arrays (28 bytes a minute), grown on demand and kept as a ring of the latest
 * {@code capacity} minutes. Thread-safe: the walk writes on a connection's stage, the chart API
 * reads on another.
 */
final class MinuteRecord {
  /** By default one trading session (09:15 to 15:30 IST); older minutes are dropped first. */
  static final int DEFAULT_CAPACITY = 375;

  private static final int INITIAL_SIZE = 16;

  private final int capacity;
  private int[] minute;
  private float[] open;
  private float[] high;
  private float[] low;
  private float[] close;
  private long[] volume;
  private int[] openInterest;
  private int count;
  private int oldest;

  /** Cumulative day volume at the last trade recorded, and before the latest minute began. */
  private long lastCumulative;

  private long cumulativeBeforeLatest;

  MinuteRecord(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    // Never longer than the capacity: the ring wraps at the arrays' length.
    int size = Math.min(capacity, INITIAL_SIZE);
    minute = new int[size];
    open = new float[size];
    high = new float[size];
    low = new float[size];
    close = new float[size];
    volume = new long[size];
    openInterest = new int[size];
  }

  /**
   * One trade as sent. Trades come in time order (the walk keeps its clock from going back), so a
   * trade is either in the latest minute or opens a new one.
   */
  synchronized void record(long epochSecond, float ltp, long cumulativeVolume, int oi) {
    int tradeMinute = (int) Math.floorDiv(epochSecond, 60);
    if (count == 0 || tradeMinute > minute[latest()]) {
      cumulativeBeforeLatest = lastCumulative;
      int slot = nextSlot();
      minute[slot] = tradeMinute;
      open[slot] = ltp;
      high[slot] = ltp;
      low[slot] = ltp;
    }
    int slot = latest();
    high[slot] = Math.max(high[slot], ltp);
    low[slot] = Math.min(low[slot], ltp);
    close[slot] = ltp;
    volume[slot] = cumulativeVolume - cumulativeBeforeLatest;
    openInterest[slot] = oi;
    lastCumulative = cumulativeVolume;
  }

  /** The minutes starting in {@code [from, to)}, oldest first; the forming minute included. */
  synchronized List<RecordedMinute> between(Instant from, Instant to) {
    List<RecordedMinute> found = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int slot = (oldest + i) % minute.length;
      long start = minute[slot] * 60L;
      if (start >= from.getEpochSecond() && start < to.getEpochSecond()) {
        found.add(
            new RecordedMinute(
                Instant.ofEpochSecond(start),
                open[slot],
                high[slot],
                low[slot],
                close[slot],
                volume[slot],
                openInterest[slot]));
      }
    }
    return found;
  }

  synchronized List<RecordedMinute> all() {
    return between(Instant.EPOCH, Instant.ofEpochSecond(Integer.MAX_VALUE * 60L + 60));
  }

  private int latest() {
    return (oldest + count - 1) % minute.length;
  }

  /** The slot for a new minute: a grown array's next, or the oldest minute's once full. */
  private int nextSlot() {
    if (count == capacity) {
      int slot = oldest;
      oldest = (oldest + 1) % minute.length;
      return slot;
    }
    if (count == minute.length) {
      grow(Math.min(capacity, minute.length * 2));
    }
    count++;
    return latest();
  }

  /** Only while not yet full, so the ring has not wrapped and {@code oldest} is still 0. */
  private void grow(int size) {
    minute = Arrays.copyOf(minute, size);
    open = Arrays.copyOf(open, size);
    high = Arrays.copyOf(high, size);
    low = Arrays.copyOf(low, size);
    close = Arrays.copyOf(close, size);
    volume = Arrays.copyOf(volume, size);
    openInterest = Arrays.copyOf(openInterest, size);
  }
}
