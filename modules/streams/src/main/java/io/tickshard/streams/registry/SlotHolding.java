package io.tickshard.streams.registry;

/**
 * Who holds broker sockets, as the health check needs to know: in {@code dedicated} mode each
 * stream holds a socket slot ({@link ConnectionBudget}); in {@code shared} mode a stream holds a
 * lease on the shared sockets, and the slots in use are the sockets open.
 */
interface SlotHolding {
  /** Whether {@code key} has a socket to restart. */
  boolean holds(String key);

  /** Sockets in use. */
  int used();

  /** Sockets the account allows. */
  int limit();
}
