package io.tickshard.simulator;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The credential rules on their own, without a socket. */
class SimulatorCredentialsTest {
  private static final Instant NOW = Instant.parse("2024-06-03T09:15:00Z");

  @Test
  void reasons_follow_the_broker_order() {
    SimulatorCredentials credentials =
        new SimulatorCredentials(Map.of("c", "good"), Set.of("stale"));
    assertThat(credentials.authenticate("c", "good", NOW)).isZero();
    assertThat(credentials.authenticate("c", "", NOW)).isEqualTo(808);
    assertThat(credentials.authenticate("c", null, NOW)).isEqualTo(808);
    assertThat(credentials.authenticate("x", "good", NOW)).isEqualTo(810);
    assertThat(credentials.authenticate(null, "good", NOW)).isEqualTo(810);
    assertThat(credentials.authenticate("c", "stale", NOW)).isEqualTo(807);
    assertThat(credentials.authenticate("c", "other", NOW)).isEqualTo(809);
  }

  @Test
  void a_jwt_is_valid_until_its_exp_and_expired_from_it() {
    String token = Jwt.expiringAt(NOW.plusSeconds(10), "a");
    SimulatorCredentials credentials = new SimulatorCredentials(Map.of("c", token), Set.of());
    assertThat(credentials.authenticate("c", token, NOW.plusSeconds(9))).isZero();
    assertThat(credentials.authenticate("c", token, NOW.plusSeconds(10))).isEqualTo(807);
    assertThat(credentials.add("c", "plain", NOW.plusSeconds(10))).isEqualTo(1);
  }

  @Test
  void expiring_then_adding_again_makes_a_token_valid_again() {
    SimulatorCredentials credentials = new SimulatorCredentials(Map.of("c", "t"), Set.of());
    credentials.expire("t");
    assertThat(credentials.authenticate("c", "t", NOW)).isEqualTo(807);
    assertThat(credentials.add("c", "t", NOW)).isEqualTo(1);
    assertThat(credentials.authenticate("c", "t", NOW)).isZero();
  }

  @Test
  void exp_is_read_from_base64url_or_padded_base64_and_otherwise_never_expires() {
    assertThat(SimulatorCredentials.expiryOf(Jwt.expiringAt(NOW, "a"))).contains(NOW);
    // As base64(1) makes it: '+', '/' and '=' padding, which base64url would not have.
    String padded =
        Base64.getEncoder()
            .encodeToString("{\"exp\": 1717406100, \"n\": \"??>>\"}".getBytes(UTF_8));
    assertThat(padded).contains("/", "+", "=");
    assertThat(SimulatorCredentials.expiryOf("e30=." + padded + ".")).contains(NOW);
    assertThat(SimulatorCredentials.expiryOf("sim-token")).isEmpty();
    assertThat(SimulatorCredentials.expiryOf("a.b.c")).isEmpty();
    assertThat(SimulatorCredentials.expiryOf("a..c")).isEmpty();
    assertThat(SimulatorCredentials.expiryOf("e30." + Jwt.part("{\"sub\":\"x\"}") + ".s"))
        .isEmpty();
    assertThat(SimulatorCredentials.expiryOf("e30." + Jwt.part("{\"exp\":\"soon\"}") + ".s"))
        .isEmpty();
    assertThat(SimulatorCredentials.expiryOf("e30." + Jwt.part("{\"exp\":1e300}") + ".s"))
        .isEmpty();
    assertThat(SimulatorCredentials.expiryOf("e30." + Jwt.part("[1,2]") + ".s")).isEmpty();
  }
}
