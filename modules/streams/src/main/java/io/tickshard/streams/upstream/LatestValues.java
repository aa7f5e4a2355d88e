package io.tickshard.streams.upstream;

import io.tickshard.feed.Instrument;
import io.tickshard.streams.ticks.Tick;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest known value of every field, per instrument. Previous close arrives once per subscribe,
 * so a viewer that joins later gets it from here rather than from the feed.
 */
final class LatestValues {
  private final Map<Instrument, Tick> byInstrument = new HashMap<>();

  void update(Tick tick) {
    // The wire can carry a security id of 0 or less; no stream key can hold one (Instrument
    // rejects it), so no snapshot would ever ask for it. Skip it rather than throw mid-frame.
    if (tick.securityId() <= 0) {
      return;
    }
    byInstrument.merge(tick.instrument(), tick, (older, newer) -> newer.over(older));
  }

  /** One merged tick per instrument that has had any update, ordered like the stream key. */
  List<Tick> snapshot(List<Instrument> order) {
    List<Tick> snapshot = new ArrayList<>(byInstrument.size());
    for (Instrument instrument : order) {
      Tick tick = byInstrument.get(instrument);
      if (tick != null) {
        snapshot.add(tick);
      }
    }
    return snapshot;
  }
}
