package io.tickshard.streams.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.streams.testkit.Jwt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BrokerCredentialsTest {
  private static final Instant NOW = Instant.parse("2026-12-01T02:00:00Z");

  private static BrokerCredentials with(String token) {
    return new BrokerCredentials("1000012345", token, TokenSource.API, NOW);
  }

  @Test
  void a_jwt_expires_at_its_exp_claim() {
    Instant exp = Instant.parse("2026-12-02T00:30:00Z");
    assertThat(with(Jwt.expiringAt(exp, "1000012345")).expiresAt()).contains(exp);
  }

  @Test
  void a_token_that_is_not_a_jwt_or_has_no_numeric_exp_has_no_known_expiry() {
    String noExp =
        "eyJhbGciOiJIUzI1NiJ9."
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"exp\":\"tomorrow\"}".getBytes(StandardCharsets.UTF_8))
            + ".sig";
    assertThat(with("sim-token").expiresAt()).isEmpty();
    assertThat(with("a.b.c").expiresAt()).isEmpty();
    assertThat(with("a.%%%.c").expiresAt()).isEmpty();
    assertThat(with(noExp).expiresAt()).isEmpty();
  }

  @Test
  void the_text_shows_neither_the_token_nor_the_whole_client_id() {
    BrokerCredentials credentials = with("secret-token-value");
    assertThat(credentials.toString())
        .doesNotContain("secret-token-value")
        .doesNotContain("1000012345")
        .contains("10****45");
    assertThat(new BrokerCredentials("abc", "t", TokenSource.ENV, NOW).maskedClientId())
        .isEqualTo("****");
    assertThat(new SharedCredentials("1000012345", "secret-token-value", NOW, "n1").toString())
        .doesNotContain("secret-token-value");
  }

  @Test
  void redact_takes_the_token_out_plain_and_url_encoded() {
    BrokerCredentials credentials = with("ab+cd/ef==");
    assertThat(
            credentials.redact(
                "failed: ws://h/?token=ab%2Bcd%2Fef%3D%3D&clientId=1 and ab+cd/ef== again"))
        .isEqualTo("failed: ws://h/?token=***&clientId=1 and *** again");
  }

  @Test
  void the_state_says_expiring_within_the_warning_and_refused_over_everything() {
    Duration hour = Duration.ofHours(1);
    BrokerCredentials soon = with(Jwt.expiringAt(NOW.plus(Duration.ofMinutes(59)), "x"));
    BrokerCredentials later = with(Jwt.expiringAt(NOW.plus(Duration.ofMinutes(61)), "x"));
    BrokerCredentials past = with(Jwt.expiringAt(NOW.minusSeconds(1), "x"));
    BrokerStatus.Refusal refusal = new BrokerStatus.Refusal(807, "expired", NOW, "n1", true);

    assertThat(BrokerStatus.of(later, null, false, NOW, hour).state())
        .isEqualTo(BrokerStatus.State.OK);
    assertThat(BrokerStatus.of(soon, null, false, NOW, hour).state())
        .isEqualTo(BrokerStatus.State.EXPIRING);
    assertThat(BrokerStatus.of(past, null, false, NOW, hour).state())
        .isEqualTo(BrokerStatus.State.EXPIRED);
    assertThat(BrokerStatus.of(later, refusal, true, NOW, hour).state())
        .isEqualTo(BrokerStatus.State.REFUSED);
    // A refusal of credentials no longer in use is history, not the state.
    BrokerStatus after = BrokerStatus.of(later, refusal, false, NOW, hour);
    assertThat(after.state()).isEqualTo(BrokerStatus.State.OK);
    assertThat(after.lastRefusal().ofCurrentCredentials()).isFalse();
    assertThat(with("sim-token").expiresAt()).isEmpty();
    assertThat(BrokerStatus.of(with("sim-token"), null, false, NOW, hour).tokenExpiresAt())
        .isNull();
  }
}
