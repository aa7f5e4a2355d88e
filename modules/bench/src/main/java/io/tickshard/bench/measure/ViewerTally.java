package io.tickshard.bench.measure;

import org.HdrHistogram.Histogram;

/**
 * What one viewer received in the window: a latency histogram (microseconds) and, per instrument,
 * whether the sequence had gaps (lost or conflated ticks). A viewer's ticks arrive on one stream at
 * a time; the lock is for the reader at the end, and is never contended before it.
 */
public final class ViewerTally {
  /** Up to two minutes, three significant digits. */
  public static Histogram newHistogram() {
    return new Histogram(120_000_000L, 3);
  }

  private final Histogram latency = newHistogram();
  private final Histogram staleness = newHistogram();
  private long receivedWhileOpen;
  private final TickSequences sequences = new TickSequences();
  private long received;
  private long missed;
  private long outOfOrder;

  /** Called for every stamped tick, counted or not: the sequence is followed throughout. */
  public synchronized void observe(TickStamp stamp, long receivedMicros, Window window) {
    long skipped = sequences.follow(stamp);
    if (window.isOpen()) {
      // What a viewer far behind still gets while the window is open, however old.
      receivedWhileOpen++;
      staleness.recordValue(
          Math.min(
              staleness.getHighestTrackableValue(),
              Math.max(0, receivedMicros - stamp.sentMicros())));
    }
    if (!window.counts(stamp.sentMicros())) {
      return;
    }
    received++;
    latency.recordValue(
        Math.min(
            latency.getHighestTrackableValue(), Math.max(0, receivedMicros - stamp.sentMicros())));
    if (skipped == TickSequences.OUT_OF_ORDER) {
      outOfOrder++;
    } else {
      missed += skipped;
    }
  }

  public synchronized Histogram latency() {
    return latency.copy();
  }

  /** Ticks received while the window was open, whenever they were sent. */
  public synchronized long receivedWhileOpen() {
    return receivedWhileOpen;
  }

  /** How old those were when they arrived, in microseconds. */
  public synchronized Histogram staleness() {
    return staleness.copy();
  }

  public synchronized long received() {
    return received;
  }

  /** Ticks the simulator sent in between that this viewer never saw. */
  public synchronized long missed() {
    return missed;
  }

  public synchronized long outOfOrder() {
    return outOfOrder;
  }
}
