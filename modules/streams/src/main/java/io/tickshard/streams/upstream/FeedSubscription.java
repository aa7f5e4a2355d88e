package io.tickshard.streams.upstream;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a {@link FeedConnection} subscribes after every (re)connect: each instrument in its mode. A
 * stream's own socket carries its key's instruments in its mode; a shared socket, whatever its keys
 * need. Immutable: a change is a new one, sent with {@link FeedConnection.Resubscribe}.
 *
 * @param label how the connection's log lines name it ({@code socket slot-0})
 * @param modes in the order snapshots list the instruments
 */
public record FeedSubscription(String label, Map<Instrument, FeedMode> modes) {
  public FeedSubscription {
    modes = Collections.unmodifiableMap(new LinkedHashMap<>(modes));
  }

  public List<Instrument> instruments() {
    return List.copyOf(modes.keySet());
  }

  /** The subscribe requests, mode by mode (ticker, quote, full), 100 instruments each at most. */
  List<FeedRequest> requests() {
    Map<FeedMode, List<Instrument>> byMode = new EnumMap<>(FeedMode.class);
    modes.forEach(
        (instrument, mode) -> byMode.computeIfAbsent(mode, m -> new ArrayList<>()).add(instrument));
    List<FeedRequest> requests = new ArrayList<>();
    byMode.forEach(
        (mode, instruments) -> requests.addAll(FeedRequest.subscribe(mode, instruments)));
    return requests;
  }

  /** For the log: {@code 3 instruments subscribed in quote mode}, or per mode when mixed. */
  String describe() {
    Map<FeedMode, Long> counts =
        modes.values().stream()
            .collect(
                Collectors.groupingBy(
                    m -> m, () -> new EnumMap<>(FeedMode.class), Collectors.counting()));
    if (counts.size() == 1) {
      return modes.size()
          + " instruments subscribed in "
          + counts.keySet().iterator().next().wireName()
          + " mode";
    }
    return modes.size()
        + " instruments subscribed ("
        + counts.entrySet().stream()
            .map(e -> e.getValue() + " " + e.getKey().wireName())
            .collect(Collectors.joining(", "))
        + ")";
  }
}
