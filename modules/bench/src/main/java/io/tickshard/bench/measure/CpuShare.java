package io.tickshard.bench.measure;

import java.util.Map;

/** Each process's CPU over a measured window, in percent of one core. */
public final class CpuShare {
  private CpuShare() {}

  public static void put(
      Figures figures, Map<String, Double> before, Map<String, Double> after, double seconds) {
    after.forEach(
        (name, end) -> {
          Double start = before.get(name);
          if (start != null) {
            figures.put("cpu % " + name, 100 * (end - start) / seconds);
          }
        });
  }
}
