package io.tickshard.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** JWT-shaped tokens for tests: the simulator reads {@code exp} and never checks the signature. */
final class Jwt {
  private Jwt() {}

  static String expiringAt(Instant exp, String subject) {
    return part("{\"alg\":\"HS512\",\"typ\":\"JWT\"}")
        + "."
        + part("{\"sub\":\"" + subject + "\",\"exp\":" + exp.getEpochSecond() + "}")
        + ".c2lnbmF0dXJl";
  }

  static String part(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
