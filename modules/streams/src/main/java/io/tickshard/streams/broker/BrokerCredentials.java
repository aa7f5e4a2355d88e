package io.tickshard.streams.broker;

import io.tickshard.feed.AccessTokenExpiry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The client id and access token streams connect with, where they came from and since when. Its
 * text never shows the token, and the client id only masked.
 *
 * @param since when this source got them: the node's start for the environment (the oldest), the
 *     file's modification time, the time of the API call
 */
public record BrokerCredentials(
    String clientId, String accessToken, TokenSource source, Instant since) {

  /** The same client id and token, wherever they came from: connecting again changes nothing. */
  public boolean sameAs(BrokerCredentials other) {
    return other != null
        && clientId.equals(other.clientId)
        && accessToken.equals(other.accessToken);
  }

  /** From the token's {@code exp} claim, when it is a JWT that has one. */
  public Optional<Instant> expiresAt() {
    return AccessTokenExpiry.of(accessToken);
  }

  /** Enough to tell two accounts apart in a status answer, not enough to use: {@code 11****89}. */
  public String maskedClientId() {
    return mask(clientId);
  }

  static String mask(String clientId) {
    return clientId.length() < 6
        ? "****"
        : clientId.substring(0, 2) + "****" + clientId.substring(clientId.length() - 2);
  }

  /** The text with the token taken out, plain and URL-encoded (libraries quote whole URIs). */
  public String redact(String text) {
    if (accessToken.isEmpty() || text == null) {
      return text;
    }
    return text.replace(accessToken, "***")
        .replace(URLEncoder.encode(accessToken, StandardCharsets.UTF_8), "***");
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "BrokerCredentials[clientId="
        + maskedClientId()
        + ", source="
        + source.wireName()
        + ", since="
        + since
        + "]";
  }
}
