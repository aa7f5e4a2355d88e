package io.tickshard.streams.sharing;

import io.tickshard.feed.FeedMode;
import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.StreamKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * How a socket slot reaches the stream registry: what it should carry, how it stands, and the keys'
 * figures. The node wires it to the registry ({@code Streams.start}), so that a socket declares
 * what it sends and the registry, which places keys on sockets, is the one that knows both.
 */
public interface RegistryLink {

  /** Everything {@code slot} should carry now; fails when the registry does not answer in time. */
  CompletionStage<SocketWire.Table> table(int slot, Duration timeout);

  void report(Report report);

  /** The live figures of the keys {@code socket} carries, every {@link #FIGURES_INTERVAL}. */
  void figures(String socket, List<KeyFigures> keys);

  /** How often a socket sends its keys' figures: the listing is this fresh. */
  Duration FIGURES_INTERVAL = Duration.ofSeconds(2);

  /**
   * How a socket stands, and the registry change it has applied last; {@code inventory} (what it
   * carries) only when a new registry asked for it, else null.
   */
  record Report(
      SocketStatus status,
      String registryId,
      long seq,
      Map<FeedMode, String> inventory,
      ActorRef<UpstreamSocket.Command> socket)
      implements CborSerializable {}

  /** A key's live figures at one socket: ticks routed to it, and its last. */
  record KeyFigures(StreamKey key, long ticks, Instant lastTickAt) implements CborSerializable {}
}
