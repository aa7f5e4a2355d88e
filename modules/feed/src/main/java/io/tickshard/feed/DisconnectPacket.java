package io.tickshard.feed;

import java.util.Optional;

/** Code 50, 10 bytes: the server is about to close the connection, and why. */
public record DisconnectPacket(int reasonCode) implements FeedPacket {

  public static DisconnectPacket of(DisconnectReason reason) {
    return new DisconnectPacket(reason.code());
  }

  /** The documented reason, if the code is one. */
  public Optional<DisconnectReason> reason() {
    return DisconnectReason.fromCode(reasonCode);
  }

  public DisconnectReason.ClientAction action() {
    return DisconnectReason.actionFor(reasonCode);
  }

  @Override
  public int responseCode() {
    return ResponseCode.DISCONNECT;
  }
}
