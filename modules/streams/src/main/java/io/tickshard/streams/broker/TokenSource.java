package io.tickshard.streams.broker;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where the broker credentials in use came from (docs/operations.md, "Token rollover"). */
public enum TokenSource {
  /** {@code DHANHQ_CLIENT_ID} / {@code DHANHQ_ACCESS_TOKEN}, read once at start. */
  ENV("env"),
  /** {@code DHANHQ_ACCESS_TOKEN_FILE}, watched for changes. */
  FILE("file"),
  /** {@code PUT /api/v1/broker/credentials} on any node, held in memory by every node. */
  API("api");

  private final String wireName;

  TokenSource(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }
}
