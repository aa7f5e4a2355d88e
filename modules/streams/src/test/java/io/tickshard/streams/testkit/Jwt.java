package io.tickshard.streams.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** JWT-shaped test tokens, as the broker issues them (the signature is never checked). */
public final class Jwt {
  private Jwt() {}

  public static String expiringAt(Instant exp, String subject) {
    return part("{\"alg\":\"HS512\",\"typ\":\"JWT\"}")
        + "."
        + part(
            "{\"iss\":\"dhan\",\"sub\":\"" + subject + "\",\"exp\":" + exp.getEpochSecond() + "}")
        + ".c2lnbmF0dXJl";
  }

  private static String part(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
