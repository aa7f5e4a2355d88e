package io.tickshard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tickshard.streams.StreamStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A stream as the HTTP API shows it (docs/api.md, "One stream"): the domain's {@link StreamStatus}
 * with its state and mode by their wire names. Changing this shape changes no cluster message.
 *
 * @param id the key's short id, usable wherever the key is in a URL
 * @param sockets the broker sockets that carry the key's instruments ({@code slot-0} …); left out
 *     while it is not placed
 * @param symbols in one stream's answers (and the listing's with {@code ?symbols=true}), symbol and
 *     name of each instrument the instrument list has, by {@code SEGMENT:ID}; left out otherwise,
 *     or with no list loaded
 */
record StreamResponse(
    String key,
    String id,
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
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> sockets,
    @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, InstrumentResponse.Name> symbols) {

  static StreamResponse of(StreamStatus s) {
    return of(s, (Map<String, InstrumentResponse.Name>) null);
  }

  /** One stream's answer: with the names of its instruments. */
  static StreamResponse of(StreamStatus s, InstrumentNames names) {
    return of(s, names.names(s.key()));
  }

  private static StreamResponse of(StreamStatus s, Map<String, InstrumentResponse.Name> symbols) {
    return new StreamResponse(
        s.key().value(),
        s.key().shortId(),
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
        s.sockets(),
        symbols);
  }
}
