package io.tickshard.streams.sharing;

import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import java.time.Instant;

/**
 * Who hears how a socket stands, per key riding on it: the keys' entities, wherever they run. The
 * node wires it ({@code Streams.start}): sockets declare what they send, not who receives it.
 */
@FunctionalInterface
public interface KeyListeners {
  void tell(StreamKey key, Standing standing);

  /**
   * How a socket stands, for one key riding on it, with the key's figures there (ticks routed to
   * it): sent to the key on every change.
   */
  record Standing(
      String socket,
      StreamState state,
      Instant heartbeatAt,
      String lastError,
      long ticks,
      Instant lastTickAt,
      int reconnects)
      implements CborSerializable {}
}
