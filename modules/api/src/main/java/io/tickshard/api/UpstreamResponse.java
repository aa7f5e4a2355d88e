package io.tickshard.api;

import io.tickshard.feed.FeedMode;
import io.tickshard.streams.registry.UpstreamListing;
import io.tickshard.streams.sharing.SocketStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/upstream} (docs/api.md, "Broker sockets"): the registry's {@link
 * UpstreamListing} with modes by their wire names. Changing this shape changes no cluster message.
 *
 * @param sharing the placement policy: {@code shared} or {@code dedicated}
 * @param budget broker connections the cluster may open ({@code tickshard.budget.max-connections})
 * @param capacity {@code budget} × 5,000 instruments
 */
record UpstreamResponse(
    String sharing,
    int budget,
    int socketsInUse,
    int instrumentsInUse,
    int capacity,
    boolean complete,
    List<Socket> sockets) {

  /**
   * One broker socket. The figures of its owner ({@code node} … {@code lastError}) are null, and
   * {@code state} {@code unknown}, until it first reported to the registry.
   *
   * @param instruments per mode, by wire name, every mode present
   * @param keys stream keys whose instruments ride on it
   */
  record Socket(
      String id,
      String node,
      String state,
      Instant since,
      Instant connectedAt,
      Instant heartbeatAt,
      int keys,
      Map<String, Integer> instruments,
      int carried,
      int roomLeft,
      Integer reconnects,
      String lastError) {

    static Socket of(UpstreamListing.Socket view) {
      SocketStatus s = view.status();
      return new Socket(
          view.id(),
          s == null ? null : s.node(),
          s == null ? "unknown" : s.state().wireName(),
          s == null ? null : s.since(),
          s == null ? null : s.connectedAt(),
          s == null ? null : s.heartbeatAt(),
          view.keys(),
          perMode(view.instruments()),
          view.carried(),
          view.roomLeft(),
          s == null ? null : s.reconnects(),
          s == null ? null : s.lastError());
    }
  }

  static UpstreamResponse of(UpstreamListing upstream) {
    return new UpstreamResponse(
        upstream.sharing(),
        upstream.budget(),
        upstream.socketsInUse(),
        upstream.instrumentsInUse(),
        upstream.capacity(),
        upstream.complete(),
        upstream.sockets().stream().map(Socket::of).toList());
  }

  /** Every mode, in the order ticker, quote, full; 0 for a mode with none. */
  private static Map<String, Integer> perMode(Map<FeedMode, Integer> instruments) {
    Map<String, Integer> modes = new LinkedHashMap<>();
    for (FeedMode mode : FeedMode.values()) {
      Integer count = instruments == null ? null : instruments.get(mode);
      modes.put(mode.wireName(), count == null ? 0 : count);
    }
    return modes;
  }
}
