package io.tickshard.streams.ticks;

import io.tickshard.streams.CborSerializable;
import java.util.List;

/**
 * What one broker message brought for one stream key, in that key's mode: the unit ticks travel in
 * from the socket to the viewers. A burst of a key's instruments is one message on its topic, one
 * serialized frame to each node with viewers, rendered once per node and written to each viewer as
 * one chunk; one tick at a time, each hop was paid per tick (docs/benchmarks.md, tick path).
 *
 * @param ticks in the order the broker sent them; never empty
 */
public record TickBatch(List<Tick> ticks) implements ViewerEvent, CborSerializable {
  public TickBatch {
    ticks = List.copyOf(ticks);
    if (ticks.isEmpty()) {
      throw new IllegalArgumentException("a batch of no ticks");
    }
  }

  public static TickBatch of(Tick... ticks) {
    return new TickBatch(List.of(ticks));
  }

  public int size() {
    return ticks.size();
  }
}
