package io.tickshard.streams.outputs;

import io.tickshard.streams.upstream.TickSink;

/**
 * A node-wide side output of the broker's ticks, beside the keys' topics: it hears every tick this
 * node's broker sockets decode, once each, on the socket's connection thread. Since each instrument
 * rides on one socket in the cluster (shared sockets), what the outputs of all nodes hear together
 * is each tick once.
 *
 * <p>{@link #publish} and {@link #flush} must never block nor throw: the feed waits for them. An
 * output that writes somewhere slow hands the tick to a thread of its own.
 */
public interface TickOutput extends TickSink {
  /** A short name: the field the health answer reports it under (e.g. {@code redis}). */
  String name();

  /** How the output stands now. */
  OutputHealth health();
}
