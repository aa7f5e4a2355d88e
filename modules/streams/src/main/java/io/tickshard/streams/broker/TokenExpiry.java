package io.tickshard.streams.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * When a broker access token expires, read from its {@code exp} claim: the broker's tokens are
 * JWTs. No signature check and no network: only the broker can say whether a token is good; this
 * only warns before the day it says it stops being good. A token that is not a JWT, or has no
 * numeric {@code exp}, has no known expiry.
 */
final class TokenExpiry {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TokenExpiry() {}

  static Optional<Instant> of(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(unpadded(parts[1])));
      JsonNode exp = claims == null ? null : claims.get("exp");
      return exp != null && exp.isNumber()
          ? Optional.of(Instant.ofEpochSecond(exp.asLong()))
          : Optional.empty();
    } catch (RuntimeException | java.io.IOException notAJwt) {
      // Never say why: the message could quote the token.
      return Optional.empty();
    }
  }

  /** Some issuers pad base64url, most do not; the decoder takes it without. */
  private static String unpadded(String part) {
    int end = part.length();
    while (end > 0 && part.charAt(end - 1) == '=') {
      end--;
    }
    return part.substring(0, end);
  }
}
