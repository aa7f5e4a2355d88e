package io.tickshard.streams.registry;

import io.tickshard.streams.StreamKey;

/**
 * Who holds broker sockets, as the health check needs to know: a placed key has sockets to restart,
 * and the slots in use are the sockets open.
 */
interface SlotHolding {
  /** Whether {@code key} has a socket to restart. */
  boolean holds(StreamKey key);

  /** Sockets in use. */
  int used();

  /** Sockets the account allows. */
  int limit();
}
