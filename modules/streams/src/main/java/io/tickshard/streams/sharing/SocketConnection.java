package io.tickshard.streams.sharing;

import io.tickshard.streams.StreamState;
import io.tickshard.streams.upstream.FeedConnection;
import java.time.Instant;

/**
 * What a socket slot's broker connection last said: its state, since when it is connected, its last
 * heartbeat, reconnects and last problem. The one place a {@link FeedConnection.Update} is folded
 * into; plain state of one {@link UpstreamSocket}.
 */
final class SocketConnection {
  private StreamState state = StreamState.STARTING;
  private Instant connectedAt;
  private Instant heartbeatAt;
  private int reconnects;
  private String lastError;

  void apply(FeedConnection.Update update) {
    if (update instanceof FeedConnection.Connected connected) {
      state = StreamState.RUNNING;
      connectedAt = connected.at();
      // A connection is a sign of life: a status need not wait a heartbeat period for one. The
      // last problem stays named (why it reconnected) until the next one.
      heartbeatAt = connected.at();
    } else if (update instanceof FeedConnection.Reconnecting reconnecting) {
      lost(StreamState.RECONNECTING, reconnecting.reason());
    } else if (update instanceof FeedConnection.WaitingForCredentials waiting) {
      lost(StreamState.WAITING_FOR_CREDENTIALS, waiting.reason());
    } else if (update instanceof FeedConnection.Failed failed) {
      lost(StreamState.FAILED, failed.reason());
    } else if (update instanceof FeedConnection.Heartbeat heartbeat) {
      heartbeatAt = heartbeat.at();
      reconnects = heartbeat.reconnects();
    }
  }

  /** A new connection is opening (or none is open): connecting, not connected. */
  void opening() {
    state = StreamState.STARTING;
    connectedAt = null;
  }

  private void lost(StreamState now, String reason) {
    state = now;
    connectedAt = null;
    lastError = reason;
  }

  StreamState state() {
    return state;
  }

  /** How the socket stands, as its keys are told: connecting while no connection is open. */
  SocketKeys.Standing standing(boolean open) {
    return new SocketKeys.Standing(
        open ? state : StreamState.STARTING, heartbeatAt, lastError, reconnects);
  }

  /** The socket's status, as reported to the registry. */
  SocketStatus status(
      String id,
      String node,
      Instant since,
      boolean open,
      boolean carriesNothing,
      int keys,
      SocketTable table) {
    return new SocketStatus(
        id,
        node,
        wire(open, carriesNothing),
        since,
        connectedAt,
        heartbeatAt,
        keys,
        table.countsPerMode(),
        reconnects,
        lastError);
  }

  /** As a socket's word: idle with no connection to carry, connecting while one opens. */
  SocketState wire(boolean open, boolean carriesNothing) {
    if (!open) {
      return carriesNothing ? SocketState.IDLE : SocketState.CONNECTING;
    }
    return SocketState.of(state);
  }

  Instant connectedAt() {
    return connectedAt;
  }

  Instant heartbeatAt() {
    return heartbeatAt;
  }

  int reconnects() {
    return reconnects;
  }

  String lastError() {
    return lastError;
  }
}
