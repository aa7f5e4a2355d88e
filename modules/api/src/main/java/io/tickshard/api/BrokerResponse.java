package io.tickshard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tickshard.streams.broker.BrokerStatus;
import java.time.Instant;

/**
 * {@code GET /api/v1/broker}: the credentials in use as far as may be shown (the client id masked,
 * never the token) and how the broker last answered them.
 *
 * @param reachedEveryNode only in the answer to a PUT: every node confirmed the new credentials
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
record BrokerResponse(
    String clientId,
    String tokenSource,
    Instant credentialsSince,
    @JsonInclude(JsonInclude.Include.ALWAYS) Instant tokenExpiresAt,
    String state,
    @JsonInclude(JsonInclude.Include.ALWAYS) Refusal lastRefusal,
    Boolean reachedEveryNode) {

  record Refusal(int code, String reason, Instant at, String node, boolean ofCurrentCredentials) {}

  static BrokerResponse of(BrokerStatus status) {
    BrokerStatus.Refusal refusal = status.lastRefusal();
    return new BrokerResponse(
        status.clientId(),
        status.tokenSource().wireName(),
        status.credentialsSince(),
        status.tokenExpiresAt(),
        status.state().wireName(),
        refusal == null
            ? null
            : new Refusal(
                refusal.code(),
                refusal.reason(),
                refusal.at(),
                refusal.node(),
                refusal.ofCurrentCredentials()),
        null);
  }

  BrokerResponse replicated(boolean everyNode) {
    return new BrokerResponse(
        clientId, tokenSource, credentialsSince, tokenExpiresAt, state, lastRefusal, everyNode);
  }
}
