package io.tickshard.simulator;

/**
 * A fault switch: how the next connection attempts are refused, whatever their credentials.
 *
 * @param reasonCode the disconnect reason sent in {@link Style#DISCONNECT_PACKET} style
 * @param remaining attempts still to refuse; negative means until cleared
 */
public record AuthRefusal(Style style, int reasonCode, int remaining) {

  /** The ways the broker has been seen refusing a client. */
  public enum Style {
    /** The documented way: upgrade, a disconnect packet with the reason, then a close frame. */
    DISCONNECT_PACKET,
    /** As observed in the wild: the upgrade succeeds, then a TCP reset with no close frame. */
    RESET,
    /** The handshake is answered HTTP 429: account blocked or data plan lapsed. */
    HTTP_429,
    /**
     * The handshake is answered HTTP 503: the broker briefly unavailable (not an auth refusal, and
     * not counted as one; a client should retry with backoff).
     */
    HTTP_503
  }

  AuthRefusal consumeOne() {
    return new AuthRefusal(style, reasonCode, remaining - 1);
  }
}
