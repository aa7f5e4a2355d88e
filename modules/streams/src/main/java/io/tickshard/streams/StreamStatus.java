package io.tickshard.streams;

import io.tickshard.feed.FeedMode;
import java.time.Instant;
import java.util.List;

/**
 * A stream's status: the entity's answer, the registry's view of it, and what crosses between
 * nodes. The HTTP API maps it to its own response shape.
 *
 * @param node {@code host:port} of the node that runs it
 * @param heartbeatAt the last heartbeat of its connection; null until the first, and once stopped
 * @param ticks ticks received since its connection (re)started on that node
 * @param lastError the last upstream problem, or why it waits; null when none
 * @param sockets the sockets that carry its instruments ({@code slot-0} …); null until placed
 */
public record StreamStatus(
    StreamKey key,
    StreamState state,
    String node,
    long pid,
    Instant startedAt,
    Instant heartbeatAt,
    Instant lastTickAt,
    long ticks,
    int instruments,
    FeedMode mode,
    int reconnects,
    String lastError,
    Instant stoppedAt,
    String stopReason,
    List<String> sockets)
    implements CborSerializable {

  /** A stream of {@code spec} started at {@code startedAt}, on {@code node}, nothing known yet. */
  public static StreamStatus of(StreamSpec spec, Instant startedAt, String node, long pid) {
    return new StreamStatus(
        spec.key(),
        StreamState.STARTING,
        node,
        pid,
        startedAt,
        null,
        null,
        0,
        spec.key().instruments().size(),
        spec.mode(),
        0,
        null,
        null,
        null,
        null);
  }

  public StreamStatus withState(StreamState state) {
    return new StreamStatus(
        key,
        state,
        node,
        pid,
        startedAt,
        heartbeatAt,
        lastTickAt,
        ticks,
        instruments,
        mode,
        reconnects,
        lastError,
        stoppedAt,
        stopReason,
        sockets);
  }

  public StreamStatus withLastError(String lastError) {
    return new StreamStatus(
        key,
        state,
        node,
        pid,
        startedAt,
        heartbeatAt,
        lastTickAt,
        ticks,
        instruments,
        mode,
        reconnects,
        lastError,
        stoppedAt,
        stopReason,
        sockets);
  }

  public StreamStatus withHeartbeatAt(Instant heartbeatAt) {
    return new StreamStatus(
        key,
        state,
        node,
        pid,
        startedAt,
        heartbeatAt,
        lastTickAt,
        ticks,
        instruments,
        mode,
        reconnects,
        lastError,
        stoppedAt,
        stopReason,
        sockets);
  }

  /** The feed's figures: ticks received, the last one's time, reconnects. */
  public StreamStatus withFigures(long ticks, Instant lastTickAt, int reconnects) {
    return new StreamStatus(
        key,
        state,
        node,
        pid,
        startedAt,
        heartbeatAt,
        lastTickAt,
        ticks,
        instruments,
        mode,
        reconnects,
        lastError,
        stoppedAt,
        stopReason,
        sockets);
  }

  /** Stopped for good at {@code at}, for {@code reason}: no heartbeat, no error. */
  public StreamStatus stopped(Instant at, String reason) {
    return new StreamStatus(
        key,
        StreamState.STOPPED,
        node,
        pid,
        startedAt,
        null,
        lastTickAt,
        ticks,
        instruments,
        mode,
        reconnects,
        null,
        at,
        reason,
        sockets);
  }

  /** Carried by these shared sockets. */
  public StreamStatus withSockets(List<String> sockets) {
    return new StreamStatus(
        key,
        state,
        node,
        pid,
        startedAt,
        heartbeatAt,
        lastTickAt,
        ticks,
        instruments,
        mode,
        reconnects,
        lastError,
        stoppedAt,
        stopReason,
        sockets == null ? null : List.copyOf(sockets));
  }

  /** As the registry shows a stream whose node went away: lost, saying why. */
  public StreamStatus lost(String why) {
    return withState(StreamState.LOST).withLastError(why);
  }
}
