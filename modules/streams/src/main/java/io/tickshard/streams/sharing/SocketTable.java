package io.tickshard.streams.sharing;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.upstream.FeedSubscription;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one shared socket carries: each instrument in its subscribed mode, and the keys riding on
 * it. The registry decides it; the socket keeps this copy, changed by the registry's requests in
 * order, or replaced whole (with the requests that get the open socket there) on a resync.
 *
 * <p>Plain state on the socket's actor thread; not thread-safe.
 */
final class SocketTable {
  private final Map<Instrument, FeedMode> modes = new TreeMap<>();
  private final Map<StreamKey, SocketWire.Route> routes = new TreeMap<>();

  /** Applies requests the registry worked out (unsubscribes of a mode change come first). */
  void apply(Collection<FeedRequest> requests) {
    for (FeedRequest request : requests) {
      FeedMode mode = request.code().mode().orElse(null);
      if (mode == null) {
        continue;
      }
      for (Instrument instrument : request.instruments()) {
        if (request.code().isSubscribe()) {
          modes.put(instrument, mode);
        } else if (modes.get(instrument) == mode) {
          modes.remove(instrument);
        }
      }
    }
  }

  /**
   * Becomes {@code next} whole.
   *
   * @return what the open socket must be sent to get there: unsubscribes (in the old mode) of what
   *     goes or changes mode, then subscribes of what comes or changes, 100 instruments a message
   */
  List<FeedRequest> replaceWith(Map<Instrument, FeedMode> next) {
    Map<FeedMode, List<Instrument>> unsubscribe = new EnumMap<>(FeedMode.class);
    Map<FeedMode, List<Instrument>> subscribe = new EnumMap<>(FeedMode.class);
    modes.forEach(
        (instrument, mode) -> {
          if (next.get(instrument) != mode) {
            unsubscribe.computeIfAbsent(mode, m -> new ArrayList<>()).add(instrument);
          }
        });
    next.forEach(
        (instrument, mode) -> {
          if (modes.get(instrument) != mode) {
            subscribe.computeIfAbsent(mode, m -> new ArrayList<>()).add(instrument);
          }
        });
    modes.clear();
    modes.putAll(next);
    List<FeedRequest> requests = new ArrayList<>();
    unsubscribe.forEach((mode, list) -> requests.addAll(FeedRequest.unsubscribe(mode, list)));
    subscribe.forEach((mode, list) -> requests.addAll(FeedRequest.subscribe(mode, list)));
    return requests;
  }

  void join(SocketWire.Route route) {
    routes.put(route.key(), route);
  }

  void leave(StreamKey key) {
    routes.remove(key);
  }

  void replaceRoutes(Collection<SocketWire.Route> next) {
    routes.clear();
    next.forEach(this::join);
  }

  Collection<SocketWire.Route> routes() {
    return Collections.unmodifiableCollection(routes.values());
  }

  Map<Instrument, FeedMode> modes() {
    return Collections.unmodifiableMap(modes);
  }

  boolean carriesNothing() {
    return modes.isEmpty();
  }

  /** What a (re)connect subscribes. */
  FeedSubscription subscription(String label) {
    return new FeedSubscription(label, modes);
  }

  Map<FeedMode, Integer> countsPerMode() {
    Map<FeedMode, Integer> counts = new EnumMap<>(FeedMode.class);
    modes.values().forEach(mode -> counts.merge(mode, 1, Integer::sum));
    return counts;
  }
}
