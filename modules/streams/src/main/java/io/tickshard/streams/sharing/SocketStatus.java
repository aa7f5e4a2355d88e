package io.tickshard.streams.sharing;

import io.tickshard.feed.FeedMode;
import io.tickshard.streams.CborSerializable;
import java.time.Instant;
import java.util.Map;

/**
 * How one socket stands, as its owner last reported it to the registry.
 *
 * @param id the slot's entity id, {@code slot-0} … {@code slot-4}
 * @param node {@code host:port} of the node whose socket it is
 * @param since when its owner started on that node
 * @param connectedAt when its current socket connected; null while it has none
 * @param instruments instruments subscribed, per mode
 */
public record SocketStatus(
    String id,
    String node,
    SocketState state,
    Instant since,
    Instant connectedAt,
    Instant heartbeatAt,
    int keys,
    Map<FeedMode, Integer> instruments,
    int reconnects,
    String lastError)
    implements CborSerializable {

  public SocketStatus {
    instruments = Map.copyOf(instruments);
  }

  public SocketStatus lost() {
    return new SocketStatus(
        id,
        node,
        SocketState.LOST,
        since,
        null,
        heartbeatAt,
        keys,
        instruments,
        reconnects,
        "its node left or stopped; it opens again on another node");
  }

  public int instrumentCount() {
    return instruments.values().stream().mapToInt(Integer::intValue).sum();
  }
}
