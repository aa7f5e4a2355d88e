package io.tickshard.feed;

import java.util.Optional;

/** Reason codes of the broker's disconnect packet (code 50), and what a client should do. */
public enum DisconnectReason {
  INTERNAL_SERVER_ERROR(800, ClientAction.RETRY_WITH_BACKOFF),
  INSTRUMENTS_EXCEED_LIMIT(804, ClientAction.DO_NOT_RETRY_SAME_REQUEST),
  TOO_MANY_CONNECTIONS(805, ClientAction.LONG_COOL_OFF),
  DATA_APIS_NOT_SUBSCRIBED(806, ClientAction.FATAL),
  ACCESS_TOKEN_EXPIRED(807, ClientAction.NEW_CREDENTIALS),
  AUTHENTICATION_FAILED(808, ClientAction.NEW_CREDENTIALS),
  ACCESS_TOKEN_INVALID(809, ClientAction.NEW_CREDENTIALS),
  CLIENT_ID_INVALID(810, ClientAction.NEW_CREDENTIALS);

  /** How a client should react to a disconnect. */
  public enum ClientAction {
    /** Transient: reconnect with exponential backoff and jitter. */
    RETRY_WITH_BACKOFF,
    /** The request itself was refused: sending it again gets the same answer. */
    DO_NOT_RETRY_SAME_REQUEST,
    /**
     * Too many connections or requests: wait long, and say so loudly (the account may be blocked).
     */
    LONG_COOL_OFF,
    /**
     * The credentials were refused (token expired or invalid, authentication failed, client id
     * unknown): the same ones would be refused again, new ones may be accepted. Wait for them.
     */
    NEW_CREDENTIALS,
    /** The account's plan: nothing a client sends changes it until a person fixes it. */
    FATAL
  }

  private final int code;
  private final ClientAction action;

  DisconnectReason(int code, ClientAction action) {
    this.code = code;
    this.action = action;
  }

  public int code() {
    return code;
  }

  public ClientAction action() {
    return action;
  }

  public static Optional<DisconnectReason> fromCode(int code) {
    for (DisconnectReason reason : values()) {
      if (reason.code == code) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }

  /** The action for any code; an undocumented code is treated as transient. */
  public static ClientAction actionFor(int code) {
    return fromCode(code).map(DisconnectReason::action).orElse(ClientAction.RETRY_WITH_BACKOFF);
  }
}
