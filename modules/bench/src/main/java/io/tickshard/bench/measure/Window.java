package io.tickshard.bench.measure;

/**
 * The measured part of a run, after its warm-up: the ticks sent in it are counted, however late
 * they arrive (viewers read on for a while after it closes), so that every series covers the same
 * seconds and a slow tail is not cut off.
 */
public final class Window {
  private volatile long startMicros = Long.MAX_VALUE;
  private volatile long endMicros = Long.MAX_VALUE;

  public void open() {
    startMicros = TickStamp.nowMicros();
  }

  public void close() {
    endMicros = TickStamp.nowMicros();
  }

  /** A tick sent at {@code sentMicros} counts. */
  public boolean counts(long sentMicros) {
    return sentMicros >= startMicros && sentMicros <= endMicros;
  }

  /** A tick sent at {@code sentMicros} was sent after the window closed. */
  public boolean closedBefore(long sentMicros) {
    return sentMicros > endMicros;
  }

  public boolean isOpen() {
    return startMicros != Long.MAX_VALUE && endMicros == Long.MAX_VALUE;
  }

  public double seconds() {
    return (endMicros - startMicros) / 1e6;
  }
}
