package io.tickshard.streams.registry;

import io.tickshard.feed.FeedMode;
import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.sharing.SocketStatus;
import java.util.List;
import java.util.Map;

/**
 * The account's broker sockets, as the registry sees them: the answer to {@link
 * StreamRegistry.GetUpstream}.
 *
 * @param sharing the placement policy: {@code shared} or {@code dedicated}
 * @param socketsInUse sockets open (or opening) for the account
 * @param instrumentsInUse instruments subscribed over every socket
 * @param capacity sockets allowed times instruments per socket
 */
public record UpstreamListing(
    String sharing,
    int budget,
    int socketsInUse,
    int instrumentsInUse,
    int capacity,
    List<Socket> sockets,
    boolean complete)
    implements CborSerializable {

  /**
   * One socket: {@code status} as its owner last reported (null before its first report), what is
   * placed on it per mode, room left, and the keys riding on it.
   */
  public record Socket(
      String id,
      SocketStatus status,
      Map<FeedMode, Integer> instruments,
      int carried,
      int roomLeft,
      int keys)
      implements CborSerializable {}
}
