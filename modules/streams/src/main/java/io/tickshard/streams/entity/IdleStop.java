package io.tickshard.streams.entity;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a running stream nobody uses stops by itself ({@code tickshard.streams.idle-stop-after}): no
 * viewer on any node, and no start or status call, for that long. The clock starts again at every
 * use, and when the stream (re)starts on a node, so a failover never stops a stream early. Runtime
 * state only: a restart gives a stream a full period again.
 */
public final class IdleStop {
  private final Optional<Duration> after;
  private Instant lastUsed;

  IdleStop(Optional<Duration> after, Instant now) {
    this.after = after;
    this.lastUsed = now;
  }

  boolean enabled() {
    return after.isPresent();
  }

  void used(Instant now) {
    if (now.isAfter(lastUsed)) {
      lastUsed = now;
    }
  }

  /** Unused for the whole period at {@code now}. */
  boolean due(Instant now) {
    return after.map(period -> !lastUsed.plus(period).isAfter(now)).orElse(false);
  }

  /** How long until it would be due, from {@code now}, if nothing uses it meanwhile. */
  Duration untilDue(Instant now) {
    Duration left = Duration.between(now, lastUsed.plus(after.orElseThrow()));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** How often a node with viewers of a stream says so: a few times per period. */
  public static Optional<Duration> presenceInterval(Optional<Duration> after) {
    return after.map(period -> period.dividedBy(4));
  }
}
