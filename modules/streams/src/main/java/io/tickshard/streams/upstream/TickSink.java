package io.tickshard.streams.upstream;

import io.tickshard.streams.ticks.Tick;

/**
 * Where a {@link FeedConnection} puts the ticks it decodes: its socket's routes, to each key that
 * needs the instrument, in that key's mode. The ticks of one broker message are handed over one by
 * one and then {@link #flush}ed, so that they travel on as one batch per key. Called on the
 * connection's actor thread.
 */
@FunctionalInterface
public interface TickSink {
  void publish(Tick tick);

  /**
   * The broker message ends: what it brought goes out now; a sink that gathers nothing waits for
   * nothing.
   */
  default void flush() {}
}
