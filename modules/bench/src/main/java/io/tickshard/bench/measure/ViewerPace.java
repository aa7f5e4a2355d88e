package io.tickshard.bench.measure;

import org.HdrHistogram.Histogram;

/**
 * Whether one viewer kept pace with its key over a window, in a few longs where a {@link
 * ViewerTally} holds two histograms (about 300 KB): for the thousands of viewers of one run. Its
 * latencies go into a histogram it shares with the other viewers of the run.
 *
 * <p>A viewer kept pace when it missed none of the window's ticks (no gap in a sequence), none of
 * them came later than the bound, and it has received a tick sent after the window closed: the
 * ticks of a key reach a viewer in the order they were sent, so by then every tick of the window
 * has come (with one instrument per key; with more, that tick proves it only for its own).
 */
public final class ViewerPace {
  private final Window window;
  private final Histogram latencies;
  private long received;
  private long missed;
  private long worstMicros;
  private long newestSentMicros = Long.MIN_VALUE;

  /** {@code latencies} is shared: a thread-safe one ({@code ConcurrentHistogram}). */
  public ViewerPace(Window window, Histogram latencies) {
    this.window = window;
    this.latencies = latencies;
  }

  /**
   * A tick the viewer received; {@code skipped} is what its {@link TickSequences} answered for it.
   */
  public synchronized void observe(TickStamp stamp, long skipped, long receivedMicros) {
    newestSentMicros = Math.max(newestSentMicros, stamp.sentMicros());
    if (!window.counts(stamp.sentMicros())) {
      return;
    }
    received++;
    if (skipped > 0) {
      missed += skipped;
    }
    long latency = Math.max(0, receivedMicros - stamp.sentMicros());
    worstMicros = Math.max(worstMicros, latency);
    latencies.recordValue(Math.min(latencies.getHighestTrackableValue(), latency));
  }

  /** Ticks sent in the window that the viewer received. */
  public synchronized long received() {
    return received;
  }

  /** Ticks sent in the window that the viewer never got. */
  public synchronized long missed() {
    return missed;
  }

  /** The latest a tick of the window came, in microseconds. */
  public synchronized long worstMicros() {
    return worstMicros;
  }

  /** Once the window has closed and the viewers read on for a while: see the class comment. */
  public synchronized boolean keptUp(long boundMicros) {
    return missed == 0 && worstMicros <= boundMicros && window.closedBefore(newestSentMicros);
  }
}
