package io.tickshard.streams.broker;

import io.tickshard.streams.CborSerializable;
import java.time.Instant;

/**
 * Credentials given through the API, as every node holds them: the value of one Distributed Data
 * register, in memory only (the key is not durable), never in the journal.
 *
 * @param setBy the node that took the call, for the log
 */
public record SharedCredentials(String clientId, String accessToken, Instant setAt, String setBy)
    implements CborSerializable {

  BrokerCredentials credentials() {
    return new BrokerCredentials(clientId, accessToken, TokenSource.API, setAt);
  }

  /** Never prints the token: Pekko may log a register's value when it cannot deliver it. */
  @Override
  public String toString() {
    return "SharedCredentials[clientId="
        + BrokerCredentials.mask(clientId)
        + ", setAt="
        + setAt
        + ", setBy="
        + setBy
        + "]";
  }
}
