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
 * <p>{@link #publish} and {@link #flush} run on the feed connection's thread, {@link #replace} on
 * the socket's: the routing is an immutable map swapped whole, and the per-key figures are atomic.
 * A key's batch being gathered belongs to the connection's thread alone.
 */
final class SocketRoutes implements TickSink {
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
    private final List<Tick> gathered = new ArrayList<>();
    private boolean listed;

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

    /** Gathers the tick; says whether it is the first since the last {@link #flush}. */
    private boolean gather(Tick tick) {
      if (gathered.size() >= MAX_BATCH) {
        publishGathered();
      }
      gathered.addAll(tick.in(mode));
      ticks.incrementAndGet();
      lastTickAt = tick.receivedAt();
      boolean first = !listed;
      listed = true;
      return first;
    }

    private void publishGathered() {
      if (!gathered.isEmpty()) {
        topic.tell(Topic.publish(new TickBatch(gathered)));
        gathered.clear();
      }
    }

    private void flush() {
      publishGathered();
      listed = false;
    }
  }

  private volatile Map<Instrument, Outlet[]> byInstrument = Map.of();

  /** The keys with ticks gathered from the current broker message. */
  private final List<Outlet> gathering = new ArrayList<>();

  @Override
  public void publish(Tick tick) {
    if (tick.securityId() <= 0) {
      return; // no key can hold it (see LatestValues)
    }
    Outlet[] outlets = byInstrument.get(tick.instrument());
    if (outlets != null) {
      for (Outlet outlet : outlets) {
        if (outlet.gather(tick)) {
          gathering.add(outlet);
        }
      }
    }
  }

  @Override
  public void flush() {
    for (Outlet outlet : gathering) {
      outlet.flush();
    }
    gathering.clear();
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
