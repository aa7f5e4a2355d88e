package io.tickshard.streams.broker;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.time.Instant;

/**
 * How this node stands with the broker's credentials: never the token.
 *
 * @param clientId masked
 * @param tokenExpiresAt from the token's {@code exp} claim; null when it has none
 * @param lastRefusal the broker's last refusal of credentials on this node; null when none
 */
public record BrokerStatus(
    String clientId,
    TokenSource tokenSource,
    Instant credentialsSince,
    Instant tokenExpiresAt,
    State state,
    Refusal lastRefusal) {

  /** From best to worst; health is degraded for all but {@link #OK}. */
  public enum State {
    OK("ok"),
    /** Expires within {@code tickshard.broker.expiry-warning}. */
    EXPIRING("expiring"),
    /** Past its {@code exp}: the next connect will be refused. */
    EXPIRED("expired"),
    /** The broker refused the credentials in use: streams wait for new ones. */
    REFUSED("refused");

    private final String wireName;

    State(String wireName) {
      this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
      return wireName;
    }
  }

  /**
   * A refusal by the broker.
   *
   * @param code the disconnect reason (807 expired, 808, 809, 810)
   * @param ofCurrentCredentials the credentials refused are those in use now
   */
  public record Refusal(
      int code, String reason, Instant at, String node, boolean ofCurrentCredentials) {}

  static BrokerStatus of(
      BrokerCredentials current,
      Refusal refusal,
      boolean refusedCurrent,
      Instant now,
      Duration warning) {
    Instant expires = current.expiresAt().orElse(null);
    State state;
    if (refusedCurrent) {
      state = State.REFUSED;
    } else if (expires != null && !expires.isAfter(now)) {
      state = State.EXPIRED;
    } else if (expires != null && !expires.isAfter(now.plus(warning))) {
      state = State.EXPIRING;
    } else {
      state = State.OK;
    }
    return new BrokerStatus(
        current.maskedClientId(),
        current.source(),
        current.since(),
        expires,
        state,
        refusal == null
            ? null
            : new Refusal(
                refusal.code(), refusal.reason(), refusal.at(), refusal.node(), refusedCurrent));
  }
}
