package io.tickshard.api;

import io.tickshard.streams.ticks.Tick;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.apache.pekko.util.ByteString;

/**
 * Each tick's SSE event written once per node rather than once per viewer: the node's topic hands
 * the same {@link Tick} instance to every viewer of its key here, so a small cache keyed by that
 * instance (direct-mapped, a slot per identity hash) serves the second viewer on. A tick conflated
 * for a slow viewer is a new instance, and is written for that viewer alone. Measured by the
 * fan-out benchmark (docs/benchmarks.md): JSON writing was a fifth of a viewer node's CPU.
 */
final class RenderedTicks {
  private record Entry(Tick tick, ByteString event) {}

  private final AtomicReferenceArray<Entry> slots;
  private final int mask;
  private final Function<Tick, ByteString> render;

  /** {@code size} a power of two: enough slots for the ticks of the last few milliseconds. */
  RenderedTicks(int size, Function<Tick, ByteString> render) {
    if (Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("size must be a power of two, was " + size);
    }
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
    this.render = render;
  }

  ByteString event(Tick tick) {
    int slot = System.identityHashCode(tick) & mask;
    Entry entry = slots.get(slot);
    if (entry != null && entry.tick() == tick) {
      return entry.event();
    }
    ByteString event = render.apply(tick);
    // Racing writers of one slot are harmless: an entry is whole, and a miss only writes again.
    slots.lazySet(slot, new Entry(tick, event));
    return event;
  }
}
