package io.tickshard.api;

import io.tickshard.streams.StreamStatus;
import java.time.Instant;

/**
 * A stream as the HTTP API shows it (docs/api.md, "One stream"): the domain's {@link StreamStatus}
 * with its state and mode by their wire names. Changing this shape changes no cluster message.
 */
record StreamResponse(
    String key,
    String status,
    String node,
    long pid,
    Instant startedAt,
    Instant heartbeatAt,
    Instant lastTickAt,
    long ticks,
    int instruments,
    String mode,
    int reconnects,
    String lastError,
    Instant stoppedAt,
    String stopReason) {

  static StreamResponse of(StreamStatus s) {
    return new StreamResponse(
        s.key(),
        s.state().wireName(),
        s.node(),
        s.pid(),
        s.startedAt(),
        s.heartbeatAt(),
        s.lastTickAt(),
        s.ticks(),
        s.instruments(),
        s.mode().wireName(),
        s.reconnects(),
        s.lastError(),
        s.stoppedAt(),
        s.stopReason());
  }
}
