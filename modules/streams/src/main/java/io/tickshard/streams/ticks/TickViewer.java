package io.tickshard.streams.ticks;

/**
 * One viewer of a key's ticks on this node, as {@link ViewerTopics} serves it: told each batch of
 * ticks and each word on the feed, on the thread of the key's {@link KeyViewers}. It must not block
 * or take long: every viewer of the key waits on it. Attached and detached by identity.
 */
@FunctionalInterface
public interface TickViewer {
  void tell(ViewerEvent event);
}
