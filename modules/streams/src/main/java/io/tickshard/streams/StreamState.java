package io.tickshard.streams;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a stream stands, in one vocabulary for the entity, the registry, the hand-over and the API
 * (whose JSON names each by {@link #wireName()}).
 */
public enum StreamState {
  /** Started, not connected upstream yet (or waiting for a connection slot). */
  STARTING("starting"),
  RUNNING("running"),
  /** Lost its socket and is connecting again, with backoff. */
  RECONNECTING("reconnecting"),
  /**
   * The broker refused the credentials: no socket, no reconnect with the same ones; connects again
   * by itself when new credentials arrive. Keeps its connection slot, as it means to run.
   */
  WAITING_FOR_CREDENTIALS("waiting_for_credentials"),
  /** Gave up for good (a fatal refusal); stop it to start it again. */
  FAILED("failed"),
  STOPPED("stopped"),
  /** Only in the registry's view: its node went away, and it does not run elsewhere yet. */
  LOST("lost");

  private final String wireName;

  StreamState(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** Has (or is opening) an upstream socket once it was granted a connection slot. */
  public boolean holdsSlot() {
    return this == STARTING
        || this == RUNNING
        || this == RECONNECTING
        || this == WAITING_FOR_CREDENTIALS;
  }

  /**
   * Placed on a node and past its slot request: a stream that moved is settled once it is no longer
   * lost or starting there.
   */
  public boolean settled() {
    return this != LOST && this != STARTING;
  }

  /** Should be sending heartbeats: the health check judges these (a reconnecting one is busy). */
  public boolean expectsHeartbeat() {
    return this == STARTING || this == RUNNING;
  }

  /** Needs an operator's look: failed for good, lost with its node, or waiting for a token. */
  public boolean troubled() {
    return this == FAILED || this == LOST || this == WAITING_FOR_CREDENTIALS;
  }
}
