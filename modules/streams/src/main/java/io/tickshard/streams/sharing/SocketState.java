package io.tickshard.streams.sharing;

import com.fasterxml.jackson.annotation.JsonValue;
import io.tickshard.streams.StreamState;
import java.util.Locale;

/** How a socket slot stands, as its owner reports it (and the registry, once its node is gone). */
public enum SocketState {
  /** Carries nothing, so holds no socket. */
  IDLE,
  CONNECTING,
  CONNECTED,
  RECONNECTING,
  WAITING_FOR_CREDENTIALS,
  FAILED,
  /** Its node went away; it opens again elsewhere. */
  LOST;

  /** The word in JSON answers and across nodes. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A connection's state, as a socket's word: a socket that runs is connected. */
  public static SocketState of(StreamState connection) {
    return switch (connection) {
      case RUNNING -> CONNECTED;
      case STARTING -> CONNECTING;
      case WAITING_FOR_CREDENTIALS -> WAITING_FOR_CREDENTIALS;
      case FAILED -> FAILED;
      default -> RECONNECTING;
    };
  }
}
