package io.tickshard.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * When a broker access token expires, from its {@code exp} claim: the broker's tokens are JWTs
 * ({@code header.payload.signature}, each part base64url). No signature check and no network: only
 * the broker can say whether a token is good; this only tells the day it says it stops being good.
 * A token that is not JWT-shaped, or has no numeric {@code exp}, has no stated expiry.
 */
public final class AccessTokenExpiry {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AccessTokenExpiry() {}

  public static Optional<Instant> of(String token) {
    if (token == null) {
      return Optional.empty();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      // Lenient about the alphabet and padding: a token made by hand with base64(1) reads too.
      String payload = parts[1].replace('+', '-').replace('/', '_');
      JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(payload));
      JsonNode exp = claims == null ? null : claims.path("exp");
      if (exp == null || !exp.isNumber()) {
        return Optional.empty();
      }
      // Beyond Instant's range is "never" (or "long ago"), not an error.
      if (!exp.canConvertToLong() || exp.longValue() > Instant.MAX.getEpochSecond()) {
        return exp.doubleValue() > 0 ? Optional.empty() : Optional.of(Instant.MIN);
      }
      return Optional.of(
          Instant.ofEpochSecond(Math.max(exp.longValue(), Instant.MIN.getEpochSecond())));
    } catch (IllegalArgumentException | IOException notAJwt) {
      // Never say why: the message could quote the token.
      return Optional.empty();
    }
  }
}
