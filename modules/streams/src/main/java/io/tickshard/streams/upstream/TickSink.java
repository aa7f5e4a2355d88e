package io.tickshard.streams.upstream;

import io.tickshard.streams.ticks.Tick;

/**
 * Where a {@link FeedConnection} puts each decoded tick: its socket's routes, to each key that
 * needs the instrument, in that key's mode. Called on the connection's actor thread.
 */
@FunctionalInterface
public interface TickSink {
  void publish(Tick tick);
}
