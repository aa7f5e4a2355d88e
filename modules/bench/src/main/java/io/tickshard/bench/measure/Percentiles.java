package io.tickshard.bench.measure;

import java.util.Collection;
import org.HdrHistogram.Histogram;

/** Latency figures of a histogram of microseconds, in milliseconds. */
public final class Percentiles {
  private Percentiles() {}

  public static void put(Figures figures, String series, Histogram micros) {
    figures.put(series + " p50 ms", micros.getValueAtPercentile(50) / 1_000.0);
    figures.put(series + " p99 ms", micros.getValueAtPercentile(99) / 1_000.0);
    figures.put(series + " p99.9 ms", micros.getValueAtPercentile(99.9) / 1_000.0);
    figures.put(series + " max ms", micros.getMaxValue() / 1_000.0);
  }

  public static Histogram merged(Collection<ViewerTally> tallies) {
    Histogram all = ViewerTally.newHistogram();
    tallies.forEach(tally -> all.add(tally.latency()));
    return all;
  }
}
