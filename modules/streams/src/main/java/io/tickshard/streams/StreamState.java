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
    return this == STARTING || this == RUNNING || this == RECONNECTING;
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

  /** Needs an operator's look: failed for good, or lost with its node. */
  public boolean troubled() {
    return this == FAILED || this == LOST;
  }
}
