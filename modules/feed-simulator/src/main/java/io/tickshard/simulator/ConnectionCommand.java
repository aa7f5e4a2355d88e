package io.tickshard.simulator;

import io.tickshard.feed.FeedEncoder;

/** What the admin API and the eviction rule can ask of one open feed connection. */
sealed interface ConnectionCommand {
  /** Reset the socket with no close frame, as a network failure would. */
  record Drop() implements ConnectionCommand {}

  /** Stop (or resume) sending anything, pings included, while keeping the socket open. */
  record Stall(boolean stalled) implements ConnectionCommand {}

  /** Send one binary frame that is not a valid packet sequence. */
  record Garbage() implements ConnectionCommand {
    /** An unknown response code, then 3 stray bytes: a decoder must skip one and flag the other. */
    static byte[] frame() {
      byte[] unknown = FeedEncoder.rawPacket(99, 1, 1, new byte[4]);
      byte[] frame = new byte[unknown.length + 3];
      System.arraycopy(unknown, 0, frame, 0, unknown.length);
      frame[unknown.length] = (byte) 0xFF;
      return frame;
    }
  }

  /** Send a disconnect packet with this reason code, then close. */
  record Disconnect(int reasonCode) implements ConnectionCommand {}

  /** The access token expired: send a disconnect packet with reason 807, then close. */
  record TokenExpired() implements ConnectionCommand {}

  /** Close cleanly because the simulator is shutting down. */
  record Shutdown() implements ConnectionCommand {}
}
