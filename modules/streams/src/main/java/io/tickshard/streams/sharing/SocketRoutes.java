package io.tickshard.streams.sharing;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.Instrument;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.TickBatch;
import io.tickshard.streams.upstream.TickSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Where a socket's ticks go: to the topic of every key that needs the instrument, cut down to that
 * key's mode ({@link Tick#in}), so that no viewer ever filters; what one broker message brought for
 * a key goes out as one {@link TickBatch}.
 *
 * <p>Each feed connection gathers through a {@link #sink} of its own, on its own thread: a
 * connection still closing and the one that replaced it run at the same time, and must not share
 * what they gather. The routing ({@link #replace}, on the socket's thread) is an immutable map
 * swapped whole, and the per-key figures are atomic.
 */
final class SocketRoutes {
  /**
   * The most ticks one batch carries: some 110 KB serialized at most, well within Artery's maximum
   * frame (256 KiB), beyond which a message between nodes is dropped.
   */
  static final int MAX_BATCH = 1_000;

  /** One key riding on this socket: its topic, its mode, and its figures here. */
  static final class Outlet {
    final StreamKey key;
    final FeedMode mode;
    final List<Instrument> instruments;
    final ActorRef<Topic.Command<TickBatch>> topic;
    private final AtomicLong ticks = new AtomicLong();
    private volatile Instant lastTickAt;

    Outlet(
        StreamKey key,
        FeedMode mode,
        List<Instrument> instruments,
        ActorRef<Topic.Command<TickBatch>> topic) {
      this.key = key;
      this.mode = mode;
      this.instruments = List.copyOf(instruments);
      this.topic = topic;
    }

    long ticks() {
      return ticks.get();
    }

    Instant lastTickAt() {
      return lastTickAt;
    }

    private void counted(Tick tick) {
      ticks.incrementAndGet();
      lastTickAt = tick.receivedAt();
    }
  }

  private volatile Map<Instrument, Outlet[]> byInstrument = Map.of();

  /** A sink for one feed connection: what it gathers is its own. */
  TickSink sink() {
    return new Gatherer();
  }

  /** From now on route to {@code outlets}. */
  void replace(Collection<Outlet> outlets) {
    Map<Instrument, List<Outlet>> building = new HashMap<>();
    for (Outlet outlet : outlets) {
      for (Instrument instrument : outlet.instruments) {
        building.computeIfAbsent(instrument, i -> new ArrayList<>(2)).add(outlet);
      }
    }
    Map<Instrument, Outlet[]> next = new HashMap<>(building.size() * 2);
    building.forEach((instrument, list) -> next.put(instrument, list.toArray(Outlet[]::new)));
    byInstrument = next;
  }

  /** One connection's batches being gathered, per key, from the current broker message. */
  private final class Gatherer implements TickSink {
    private final Map<Outlet, List<Tick>> gathered = new IdentityHashMap<>();

    @Override
    public void publish(Tick tick) {
      if (tick.securityId() <= 0) {
        return; // no key can hold it (see LatestValues)
      }
      Outlet[] outlets = byInstrument.get(tick.instrument());
      if (outlets == null) {
        return;
      }
      for (Outlet outlet : outlets) {
        List<Tick> batch = gathered.computeIfAbsent(outlet, o -> new ArrayList<>());
        if (batch.size() >= MAX_BATCH) {
          send(outlet, batch);
        }
        batch.addAll(tick.in(outlet.mode));
        outlet.counted(tick);
      }
    }

    @Override
    public void flush() {
      gathered.forEach(Gatherer::send);
      gathered.clear();
    }

    private static void send(Outlet outlet, List<Tick> batch) {
      if (!batch.isEmpty()) {
        outlet.topic.tell(Topic.publish(new TickBatch(batch)));
        batch.clear();
      }
    }
  }
}
