package io.tickshard.streams.outputs;

import java.time.Instant;

/**
 * How a {@link TickOutput} stands, as health answers report it.
 *
 * @param state whether it writes where it should
 * @param since when it entered that state
 * @param dropped ticks it has dropped since the node started (a full queue, a failed write)
 */
public record OutputHealth(State state, Instant since, long dropped) {

  /** {@code up}: writing; {@code down}: its destination is unreachable, ticks wait or drop. */
  public enum State {
    UP,
    DOWN;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
