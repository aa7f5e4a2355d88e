package io.tickshard.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code PUT /api/v1/broker/credentials}: {@code {"accessToken": "...", "clientId"?:
 * "..."}}. A refusal names the field and the rule, never the value (it may be a token).
 */
record BrokerRequest(String accessToken, Optional<String> clientId) {
  private static final Set<String> FIELDS = Set.of("accessToken", "clientId");
  private static final int MAX_TOKEN = 4096;
  // Visible ASCII only: a token or client id with white space is a copy-paste accident.
  private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]+");
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  static BrokerRequest parse(String body) {
    JsonNode root = ApiJson.readObject(body);
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw Problem.invalidCredentials(
            "unknown field '" + clip(name) + "': the fields are accessToken and clientId");
      }
    }
    JsonNode token = root.get("accessToken");
    if (token == null || !token.isTextual() || token.asText().isEmpty()) {
      throw Problem.invalidCredentials("accessToken is required, a non-empty string");
    }
    if (token.asText().length() > MAX_TOKEN) {
      throw Problem.invalidCredentials("accessToken is longer than " + MAX_TOKEN + " characters");
    }
    if (!TOKEN.matcher(token.asText()).matches()) {
      throw Problem.invalidCredentials(
          "accessToken must be printable ASCII without white space (was it pasted whole?)");
    }
    JsonNode client = root.get("clientId");
    if (client != null && !client.isNull()) {
      if (!client.isTextual() || !CLIENT_ID.matcher(client.asText()).matches()) {
        throw Problem.invalidCredentials(
            "clientId, when given, must be 1-64 letters, digits, '-' or '_'");
      }
      return new BrokerRequest(token.asText(), Optional.of(client.asText()));
    }
    return new BrokerRequest(token.asText(), Optional.empty());
  }

  /** A field name is the caller's text too: short, and only as much as helps. */
  private static String clip(String name) {
    return name.length() <= 32 ? name : name.substring(0, 32) + "...";
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "BrokerRequest[clientId=" + clientId.isPresent() + "]";
  }
}
