package io.tickshard.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a connection's JWT expires ({@code exp}), and how long its session waits before looking
 * again. A timer of its own rather than a check on the tick or ping timer: both intervals are
 * configurable (0.2 ticks a second, pings every 10 s), and the broker disconnects at {@code exp},
 * not some time after it.
 */
record TokenExpiry(Instant at) {
  /** Longest wait on one timer; a far-off {@code exp} is waited for in steps, not overflowed. */
  static final Duration MAX_WAIT = Duration.ofHours(1);

  /** How long to wait from {@code now}; empty: it has expired. */
  Optional<Duration> waitFrom(Instant now) {
    if (!now.isBefore(at)) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, at);
    return Optional.of(left.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : left);
  }
}
