package io.tickshard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tickshard.streams.StreamStatus;
import java.time.Instant;
import java.util.List;

/**
 * A stream as the HTTP API shows it (docs/api.md, "One stream"): the domain's {@link StreamStatus}
 * with its state and mode by their wire names. Changing this shape changes no cluster message.
 *
 * @param sockets in {@code shared} mode the broker sockets that carry the key's instruments ({@code
 *     slot-0} …); left out in {@code dedicated} mode
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
    String stopReason,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> sockets) {

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
        s.stopReason(),
        s.sockets());
  }
}
