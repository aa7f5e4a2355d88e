package io.tickshard.simulator;

import static io.tickshard.simulator.AuthenticationTest.assertRefusedWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tickshard.feed.DisconnectPacket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The broker's tokens roll over daily: a new one is issued while the old one still works, and the
 * old one then expires, with a connection that used it disconnected with 807.
 */
class RuntimeCredentialsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static FeedSimulator simulator;
  private static AdminClient admin;

  @BeforeAll
  static void start() {
    simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults().withCredentials(Map.of("roller", "day-1"), Set.of()));
    admin = new AdminClient(simulator);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void a_second_token_is_accepted_while_the_first_still_works() throws Exception {
    assertThat(simulator.state().addCredential("roller", "day-2")).isEqualTo(2);
    try (FeedClient first = FeedClient.connect(simulator.feedUrl("roller", "day-1"));
        FeedClient second = FeedClient.connect(simulator.feedUrl("roller", "day-2"))) {
      await().atMost(WAIT).until(() -> simulator.state().connections().size() == 2);
      assertThat(first.isOpen()).isTrue();
      assertThat(second.isOpen()).isTrue();
    }
    // A token of one client is not another's.
    simulator.state().addCredential("other", "other-token");
    assertRefusedWith(simulator.feedUrl("roller", "other-token"), 809);
  }

  @Test
  void expiring_a_token_over_admin_disconnects_its_connections_with_807_and_refuses_new_ones()
      throws Exception {
    assertThat(admin.post("credentials?clientId=expiring&token=soon-old").status()).isEqualTo(200);
    assertThat(admin.post("credentials?clientId=expiring&token=still-good").status())
        .isEqualTo(200);
    try (FeedClient old = FeedClient.connect(simulator.feedUrl("expiring", "soon-old"));
        FeedClient kept = FeedClient.connect(simulator.feedUrl("expiring", "still-good"))) {
      await().atMost(WAIT).until(() -> connectionsOf("expiring") == 2);
      long expiriesBefore = simulator.state().stats().tokenExpiries();

      AdminClient.Answer answer = admin.post("credentials/expire?token=soon-old");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body().get("affected").asInt()).isEqualTo(1);

      assertThat(old.awaitClose()).isEqualTo(1000);
      assertThat(old.packets).last().isEqualTo(new DisconnectPacket(807));
      assertRefusedWith(simulator.feedUrl("expiring", "soon-old"), 807);
      assertThat(kept.isOpen()).isTrue();
      assertThat(simulator.state().stats().tokenExpiries()).isEqualTo(expiriesBefore + 1);
      assertThat(simulator.state().stats().authRefusalsByReason()).containsKey(807);
    }
  }

  @Test
  void the_java_api_expires_a_token_and_says_how_many_connections_it_closed() throws Exception {
    simulator.state().addCredential("java", "java-token");
    try (FeedClient a = FeedClient.connect(simulator.feedUrl("java", "java-token"));
        FeedClient b = FeedClient.connect(simulator.feedUrl("java", "java-token"))) {
      await().atMost(WAIT).until(() -> connectionsOf("java") == 2);
      assertThat(simulator.state().expireToken("java-token")).isEqualTo(2);
      assertThat(a.awaitClose()).isEqualTo(1000);
      assertThat(b.awaitClose()).isEqualTo(1000);
      assertThat(b.packets).last().isEqualTo(new DisconnectPacket(807));
    }
    assertThat(simulator.state().expireToken("java-token")).isZero();
  }

  @Test
  void a_jwt_whose_exp_has_passed_is_refused_with_807() throws Exception {
    String token = Jwt.expiringAt(Instant.now().minusSeconds(60), "past");
    simulator.state().addCredential("jwt-past", token);
    assertRefusedWith(simulator.feedUrl("jwt-past", token), 807);
  }

  @Test
  void an_open_connection_gets_807_when_its_jwt_exp_passes() throws Exception {
    Instant exp = Instant.now().plusSeconds(2);
    String token = Jwt.expiringAt(exp, "soon");
    simulator.state().addCredential("jwt-soon", token);
    try (FeedClient client = FeedClient.connect(simulator.feedUrl("jwt-soon", token))) {
      assertThat(client.isOpen()).isTrue();
      assertThat(client.awaitClose()).isEqualTo(1000);
      Instant closed = Instant.now();
      assertThat(client.packets).last().isEqualTo(new DisconnectPacket(807));
      // exp is whole seconds: the close comes at it, not before, and well within a second after.
      assertThat(closed).isAfterOrEqualTo(Instant.ofEpochSecond(exp.getEpochSecond()));
      assertThat(closed).isBefore(Instant.ofEpochSecond(exp.getEpochSecond()).plusSeconds(2));
    }
    assertRefusedWith(simulator.feedUrl("jwt-soon", token), 807);
  }

  @Test
  void auth_attempts_are_counted_per_token() throws Exception {
    simulator.state().addCredential("counted", "count-me");
    assertThat(simulator.state().authAttempts("count-me")).isZero();
    try (FeedClient client = FeedClient.connect(simulator.feedUrl("counted", "count-me"))) {
      assertThat(client.isOpen()).isTrue();
    }
    assertRefusedWith(simulator.feedUrl("nobody", "count-me"), 810);
    assertRefusedWith(simulator.feedUrl("counted", "not-me"), 809);
    assertThat(simulator.state().authAttempts("count-me")).isEqualTo(2);
    assertThat(simulator.state().authAttempts("not-me")).isEqualTo(1);
    assertThat(simulator.state().authAttempts("never-presented")).isZero();
  }

  @Test
  void bad_credential_calls_answer_400_or_405_with_a_clear_error() throws Exception {
    AdminClient.Answer noToken = admin.post("credentials?clientId=someone");
    assertThat(noToken.status()).isEqualTo(400);
    assertThat(noToken.body().get("error").asText()).isEqualTo("token is required");
    AdminClient.Answer noClient = admin.post("credentials?token=orphan-token");
    assertThat(noClient.status()).isEqualTo(400);
    assertThat(noClient.body().get("error").asText()).isEqualTo("clientId is required");
    assertThat(admin.post("credentials?clientId=someone&token=").status()).isEqualTo(400);
    AdminClient.Answer expireNothing = admin.post("credentials/expire");
    assertThat(expireNothing.status()).isEqualTo(400);
    assertThat(expireNothing.body().get("error").asText()).isEqualTo("token is required");
    assertThat(admin.get("credentials?clientId=someone&token=x").status()).isEqualTo(405);
    assertThat(admin.post("credentials/rotate?token=x").status()).isEqualTo(404);
  }

  @Test
  void no_token_appears_in_an_admin_answer_or_a_log_line() throws Exception {
    String secret = "s3cret-" + System.nanoTime();
    String wrong = "wr0ng-" + System.nanoTime();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    try {
      AdminClient.Answer added =
          admin.post(
              "credentials?clientId=secretive&token="
                  + URLEncoder.encode(secret, StandardCharsets.UTF_8));
      assertThat(added.status()).isEqualTo(200);
      assertThat(added.body().get("clientId").asText()).isEqualTo("secretive");
      assertThat(added.body().get("tokens").asInt()).isEqualTo(1);
      try (FeedClient client = FeedClient.connect(simulator.feedUrl("secretive", secret))) {
        await().atMost(WAIT).until(() -> connectionsOf("secretive") == 1);
        assertRefusedWith(simulator.feedUrl("secretive", wrong), 809);
        for (String call : new String[] {"connections", "stats", "timeline"}) {
          assertThat(admin.get(call).body().toString()).doesNotContain(secret, wrong);
        }
        AdminClient.Answer expired = admin.post("credentials/expire?token=" + secret);
        assertThat(expired.body().toString()).isEqualTo("{\"affected\":1}");
        assertThat(client.awaitClose()).isEqualTo(1000);
      }
      assertThat(added.body().toString()).doesNotContain(secret);
      assertThat(logs.list)
          .isNotEmpty()
          .allSatisfy(
              event -> assertThat(event.getFormattedMessage()).doesNotContain(secret, wrong));
    } finally {
      root.detachAppender(logs);
    }
  }

  private static long connectionsOf(String clientId) {
    return simulator.state().connections().stream()
        .filter(c -> c.clientId().equals(clientId))
        .count();
  }
}
