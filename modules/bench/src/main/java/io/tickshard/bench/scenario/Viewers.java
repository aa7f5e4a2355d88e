package io.tickshard.bench.scenario;

import io.tickshard.bench.client.SseViewer;
import io.tickshard.bench.measure.ViewerTally;
import java.time.Duration;
import java.util.List;

/** What the scenarios ask of their viewers together. */
final class Viewers {
  /** How long viewers read on after the window closes, for the ticks sent at its end. */
  static final Duration TAIL = Duration.ofSeconds(3);

  private Viewers() {}

  static List<ViewerTally> tallies(List<SseViewer> viewers) {
    return viewers.stream().map(SseViewer::tally).toList();
  }

  static long missed(List<SseViewer> viewers) {
    return viewers.stream().mapToLong(v -> v.tally().missed()).sum();
  }

  static long received(List<SseViewer> viewers) {
    return viewers.stream().mapToLong(v -> v.tally().received()).sum();
  }

  /** Viewers whose stream failed (a reset, an error answer) rather than ended by the tool. */
  static long failed(List<SseViewer> viewers) {
    return viewers.stream().filter(v -> v.failure() != null).count();
  }
}
