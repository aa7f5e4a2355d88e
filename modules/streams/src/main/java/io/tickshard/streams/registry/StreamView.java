package io.tickshard.streams.registry;

import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's view of the streams: each key's latest report and who sent it, the short ids of
 * the keys it knows, and the live tick figures the sockets send. Plain state, no actor: the
 * registry feeds it and answers from it. Not thread-safe.
 *
 * @param <E> the reference of the entity that reports a key (an actor ref in the registry)
 */
final class StreamView<E> {

  /**
   * @param since when this view first heard from this entity: a stream that moved or recovered
   *     keeps its first {@code startedAt}, so this is what its health is judged from until its
   *     first heartbeat
   */
  record Entry<E>(StreamStatus status, E entity, Instant since) {}

  private final Map<StreamKey, Entry<E>> streams = new HashMap<>();
  private final Map<String, StreamKey> keysById = new HashMap<>();
  // Source (a socket slot) → key → its latest figures there.
  private final Map<String, Map<StreamKey, KeyFigures>> figures = new HashMap<>();

  /** A key's latest figures at one source. */
  record KeyFigures(long ticks, Instant lastTickAt) {}

  /** A stream's report, from {@code entity}: kept, and its first report's time kept with it. */
  void reported(StreamStatus status, E entity, Instant now) {
    StreamKey key = status.key();
    Entry<E> known = streams.get(key);
    Instant since = known != null && known.entity().equals(entity) ? known.since() : now;
    if (streams.put(key, new Entry<>(status, entity, since)) == null) {
      keysById.put(key.shortId(), key);
    }
  }

  /** The stream stopped for good: forgotten. */
  Optional<Entry<E>> remove(StreamKey key) {
    Entry<E> removed = streams.remove(key);
    if (removed != null) {
      keysById.remove(key.shortId());
    }
    return Optional.ofNullable(removed);
  }

  /**
   * The entity that ran {@code key} is gone: shown lost until it reports from its new node.
   *
   * @return its last status, when {@code entity} was the one running it
   */
  Optional<StreamStatus> lost(StreamKey key, E entity, String why) {
    Entry<E> entry = streams.get(key);
    if (entry == null || !entry.entity().equals(entity)) {
      return Optional.empty();
    }
    streams.put(key, new Entry<>(entry.status().lost(why), entry.entity(), entry.since()));
    return Optional.of(entry.status());
  }

  boolean knows(StreamKey key) {
    return streams.containsKey(key);
  }

  Optional<Entry<E>> get(StreamKey key) {
    return Optional.ofNullable(streams.get(key));
  }

  Collection<Entry<E>> entries() {
    return streams.values();
  }

  int size() {
    return streams.size();
  }

  /** The running (or lost) stream with this short id. */
  Optional<StreamKey> resolve(String shortId) {
    return Optional.ofNullable(keysById.get(shortId));
  }

  /** Live tick figures of the keys one source (a socket slot) carries. */
  void figures(String source, Map<StreamKey, KeyFigures> byKey) {
    figures.put(source, Map.copyOf(byKey));
  }

  /** Every stream known, by key, the figures summed over the sources that carry it. */
  List<StreamStatus> listing() {
    Map<StreamKey, KeyFigures> live = liveFigures();
    return streams.values().stream()
        .map(Entry::status)
        .map(
            status -> {
              KeyFigures fresh = live.get(status.key());
              return fresh == null || status.state() == StreamState.LOST
                  ? status
                  : status.withFigures(fresh.ticks(), fresh.lastTickAt(), status.reconnects());
            })
        .sorted(Comparator.comparing(status -> status.key().value()))
        .toList();
  }

  /** How many streams run on {@code node}, by state (lost ones not counted). */
  Map<StreamState, Integer> countsOn(String node) {
    Map<StreamState, Integer> byState = new EnumMap<>(StreamState.class);
    for (Entry<E> entry : streams.values()) {
      StreamStatus status = entry.status();
      if (node.equals(status.node()) && status.state() != StreamState.LOST) {
        byState.merge(status.state(), 1, Integer::sum);
      }
    }
    return byState;
  }

  /** Streams per node, lost ones left out. */
  Map<String, Integer> perNode() {
    return HealthCheck.perNode(streams.values().stream().map(Entry::status).toList());
  }

  /** Per key, its figures summed over the sources that carry it (the latest tick of any). */
  private Map<StreamKey, KeyFigures> liveFigures() {
    Map<StreamKey, KeyFigures> live = new HashMap<>();
    figures
        .values()
        .forEach(byKey -> byKey.forEach((key, f) -> live.merge(key, f, StreamView::sum)));
    return live;
  }

  private static KeyFigures sum(KeyFigures a, KeyFigures b) {
    Instant last =
        a.lastTickAt() == null || (b.lastTickAt() != null && b.lastTickAt().isAfter(a.lastTickAt()))
            ? b.lastTickAt()
            : a.lastTickAt();
    return new KeyFigures(a.ticks() + b.ticks(), last);
  }
}
