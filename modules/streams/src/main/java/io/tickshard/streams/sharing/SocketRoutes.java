package io.tickshard.streams.sharing;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.Instrument;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.upstream.TickSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Where a socket's ticks go: to the topic of every key that needs the instrument, cut down to that
 * key's mode ({@link Tick#in}), so that no viewer ever filters.
 *
 * <p>{@link #publish} runs on the feed connection's thread, {@link #replace} on the socket's: the
 * routing is an immutable map swapped whole, and the per-key figures are atomic.
 */
final class SocketRoutes implements TickSink {

  /** One key riding on this socket: its topic, its mode, and its figures here. */
  static final class Outlet {
    final StreamKey key;
    final FeedMode mode;
    final List<Instrument> instruments;
    final ActorRef<Topic.Command<Tick>> topic;
    private final AtomicLong ticks = new AtomicLong();
    private volatile Instant lastTickAt;

    Outlet(
        StreamKey key,
        FeedMode mode,
        List<Instrument> instruments,
        ActorRef<Topic.Command<Tick>> topic) {
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

    private void publish(Tick tick) {
      for (Tick cut : tick.in(mode)) {
        topic.tell(Topic.publish(cut));
      }
      ticks.incrementAndGet();
      lastTickAt = tick.receivedAt();
    }
  }

  private volatile Map<Instrument, Outlet[]> byInstrument = Map.of();

  @Override
  public void publish(Tick tick) {
    if (tick.securityId() <= 0) {
      return; // no key can hold it (see LatestValues)
    }
    Outlet[] outlets = byInstrument.get(tick.instrument());
    if (outlets != null) {
      for (Outlet outlet : outlets) {
        outlet.publish(tick);
      }
    }
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
}
