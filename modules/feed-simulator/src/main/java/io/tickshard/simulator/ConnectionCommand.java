package io.tickshard.simulator;

/** What the admin API and the eviction rule can ask of one open feed connection. */
sealed interface ConnectionCommand {
  /** Reset the socket with no close frame, as a network failure would. */
  record Drop() implements ConnectionCommand {}

  /** Stop (or resume) sending anything, pings included, while keeping the socket open. */
  record Stall(boolean stalled) implements ConnectionCommand {}

  /** Send one binary frame that is not a valid packet sequence. */
  record Garbage() implements ConnectionCommand {}

  /** Send a disconnect packet with this reason code, then close. */
  record Disconnect(int reasonCode) implements ConnectionCommand {}

  /** The access token expired: send a disconnect packet with reason 807, then close. */
  record TokenExpired() implements ConnectionCommand {}

  /** Close cleanly because the simulator is shutting down. */
  record Shutdown() implements ConnectionCommand {}
}
