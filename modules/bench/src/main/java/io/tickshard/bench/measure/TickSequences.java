package io.tickshard.bench.measure;

import java.util.HashMap;
import java.util.Map;

/**
 * Per instrument, the last sequence number a viewer saw (the simulator numbers each instrument's
 * ticks on a connection 1, 2, 3, ...): a jump is ticks it never got. Followed across a window's
 * edges, so that a gap just inside the window counts.
 */
public final class TickSequences {
  /** What {@link #follow} answers for a tick that came again or before one already seen. */
  public static final long OUT_OF_ORDER = -1;

  /** The last sequence by security id, updated in place: no boxing per tick. */
  private final Map<Integer, long[]> last = new HashMap<>(4);

  /**
   * Takes the next tick of its instrument; answers how many of the instrument's ticks were skipped
   * just before it (0 for the next in order, and for the instrument's first tick), or {@link
   * #OUT_OF_ORDER}.
   */
  public long follow(TickStamp stamp) {
    long[] seen = last.get(stamp.securityId());
    if (seen == null) {
      last.put(stamp.securityId(), new long[] {stamp.sequence()});
      return 0;
    }
    long previous = seen[0];
    seen[0] = stamp.sequence();
    if (stamp.sequence() == previous + 1) {
      return 0;
    }
    return stamp.sequence() > previous ? stamp.sequence() - previous - 1 : OUT_OF_ORDER;
  }
}
