package io.tickshard.streams.sharing;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.RequestCode;
import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.StreamKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How instruments cross between nodes in the sharing protocol: as one text per list ({@code
 * NSE_EQ:1333,NSE_FNO:55796}), about 12 bytes an instrument, rather than a record each (a socket's
 * table holds up to 5,000 of them, and Artery's frames are 256 KiB).
 */
public final class SocketWire {
  private SocketWire() {}

  /** One (un)subscribe request of the registry's, its instruments as one text. */
  public record Request(RequestCode code, String instruments) implements CborSerializable {}

  /**
   * A key riding on a socket, in its mode: its instruments there are those of its key that the
   * socket carries.
   */
  public record Route(StreamKey key, FeedMode mode) implements CborSerializable {}

  /** Everything a slot should carry, as of the registry's change {@code seq}. */
  public record Table(
      String registryId, long seq, Map<FeedMode, String> carried, List<Route> routes)
      implements CborSerializable {}

  public static String join(Collection<Instrument> instruments) {
    return instruments.stream().map(Instrument::toString).collect(Collectors.joining(","));
  }

  public static List<Instrument> split(String text) {
    List<Instrument> instruments = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return instruments;
    }
    for (String one : text.split(",")) {
      instruments.add(Instrument.parse(one));
    }
    return instruments;
  }

  public static List<Request> requests(List<FeedRequest> requests) {
    return requests.stream().map(r -> new Request(r.code(), join(r.instruments()))).toList();
  }

  public static List<FeedRequest> feedRequests(List<Request> requests) {
    return requests.stream().map(r -> new FeedRequest(r.code(), split(r.instruments()))).toList();
  }

  /** A table by mode: each mode's instruments as one text. */
  public static Map<FeedMode, String> byMode(Map<Instrument, FeedMode> modes) {
    Map<FeedMode, List<Instrument>> grouped = new EnumMap<>(FeedMode.class);
    modes.forEach((i, mode) -> grouped.computeIfAbsent(mode, m -> new ArrayList<>()).add(i));
    Map<FeedMode, String> wire = new EnumMap<>(FeedMode.class);
    grouped.forEach((mode, list) -> wire.put(mode, join(list)));
    return wire;
  }

  public static Map<Instrument, FeedMode> modes(Map<FeedMode, String> byMode) {
    Map<Instrument, FeedMode> modes = new TreeMap<>();
    if (byMode != null) {
      byMode.forEach((mode, text) -> split(text).forEach(i -> modes.put(i, mode)));
    }
    return modes;
  }
}
