package io.tickshard.api;

import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.TickBatch;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.apache.pekko.util.ByteString;

/**
 * Each batch's SSE events written once per node rather than once per viewer: the node's {@link
 * io.tickshard.streams.ticks.TickViewer}s of a key are handed the same {@link TickBatch} instance,
 * so a small cache keyed by that instance (direct-mapped, a slot per identity hash) serves the
 * second viewer on, and the bytes are one chunk for all. Ticks are cached the same way: a batch a
 * slow viewer's conflation made is new, but most of its ticks are not. Measured by the fan-out
 * benchmark (docs/benchmarks.md): JSON writing was a fifth of a viewer node's CPU.
 */
final class RenderedTicks {
  private record Entry(Object source, ByteString event) {}

  private final AtomicReferenceArray<Entry> slots;
  private final int mask;
  private final Function<Tick, ByteString> render;

  /** {@code size} a power of two: enough slots for the batches of the last few milliseconds. */
  RenderedTicks(int size, Function<Tick, ByteString> render) {
    if (Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("size must be a power of two, was " + size);
    }
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
    this.render = render;
  }

  /** The batch's ticks as events, one after the other. */
  ByteString events(TickBatch batch) {
    ByteString known = cached(batch);
    if (known != null) {
      return known;
    }
    ByteString events = ByteString.emptyByteString();
    for (Tick tick : batch.ticks()) {
      events = events.concat(event(tick));
    }
    return keep(batch, events.compact());
  }

  ByteString event(Tick tick) {
    ByteString known = cached(tick);
    return known != null ? known : keep(tick, render.apply(tick));
  }

  private ByteString cached(Object source) {
    Entry entry = slots.get(System.identityHashCode(source) & mask);
    return entry != null && entry.source() == source ? entry.event() : null;
  }

  /** Racing writers of one slot are harmless: an entry is whole, and a miss only writes again. */
  private ByteString keep(Object source, ByteString event) {
    slots.lazySet(System.identityHashCode(source) & mask, new Entry(source, event));
    return event;
  }
}
