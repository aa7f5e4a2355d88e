package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AccessTokenExpiryTest {

  private static String token(String claims, Base64.Encoder encoder) {
    return "eyJhbGciOiJIUzUxMiJ9."
        + encoder.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".c2ln";
  }

  @Test
  void the_exp_claim_of_a_jwt_in_base64url_or_by_hand_in_base64_with_padding() {
    String claims = "{\"sub\":\"1000012345\",\"exp\":1764640800,\"x\":\"??>>\"}";
    Instant exp = Instant.ofEpochSecond(1_764_640_800L);
    assertThat(AccessTokenExpiry.of(token(claims, Base64.getUrlEncoder().withoutPadding())))
        .contains(exp);
    assertThat(AccessTokenExpiry.of(token(claims, Base64.getEncoder()))).contains(exp);
  }

  @Test
  void no_stated_expiry_for_anything_else() {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    assertThat(AccessTokenExpiry.of(null)).isEmpty();
    assertThat(AccessTokenExpiry.of("sim-token")).isEmpty();
    assertThat(AccessTokenExpiry.of("a.b")).isEmpty();
    assertThat(AccessTokenExpiry.of("a.%%%.c")).isEmpty();
    assertThat(AccessTokenExpiry.of(token("{\"sub\":\"x\"}", url))).isEmpty();
    assertThat(AccessTokenExpiry.of(token("{\"exp\":\"tomorrow\"}", url))).isEmpty();
    assertThat(AccessTokenExpiry.of(token("[1,2]", url))).isEmpty();
    assertThat(AccessTokenExpiry.of(token("{\"exp\":1e300}", url))).isEmpty();
    assertThat(AccessTokenExpiry.of(token("{\"exp\":-1e300}", url))).contains(Instant.MIN);
  }
}
