package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickshard.api.testkit.ApiServer;
import io.tickshard.streams.testkit.Jwt;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/broker} and {@code PUT /api/v1/broker/credentials} over real HTTP: the token
 * never in an answer, the call refused without an API token configured or presented, bad bodies
 * refused changing nothing, and a JWT's {@code exp} an hour ahead shown as expiring in health.
 */
class BrokerApiTest {
  private static final String BROKER = "/api/v1/broker";
  private static final String CREDENTIALS = BROKER + "/credentials";
  private static final String API_TOKEN = "api-s3cret";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** No API token configured. */
  private static ApiServer open;

  private static ApiServer guarded;

  @BeforeAll
  static void start() {
    open = ApiServer.start(Map.of());
    guarded = ApiServer.start(Map.of("tickshard.api.token", API_TOKEN));
  }

  @AfterAll
  static void stop() {
    for (ApiServer server : new ApiServer[] {open, guarded}) {
      if (server != null) {
        server.close();
      }
    }
  }

  private static HttpResponse<String> put(ApiServer server, String body, String bearer) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri(CREDENTIALS))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return server.send(request);
  }

  @Test
  void the_broker_status_names_the_source_and_masks_the_client_never_the_token() {
    HttpResponse<String> answer = open.get(BROKER);

    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode body = json(answer);
    assertThat(body.get("tokenSource").asText()).isEqualTo("env");
    assertThat(body.get("clientId").asText()).isEqualTo("si****nt");
    assertThat(body.get("state").asText()).isEqualTo("ok");
    assertThat(body.get("tokenExpiresAt").isNull()).as("the simulator's token is no JWT").isTrue();
    assertThat(body.get("lastRefusal").isNull()).isTrue();
    assertThat(answer.body()).doesNotContain("sim-token").doesNotContain("sim-client");
  }

  @Test
  void without_an_api_token_configured_credentials_cannot_be_set() {
    HttpResponse<String> answer = put(open, "{\"accessToken\":\"abc.def.ghi\"}", null);

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(json(answer).get("type").asText()).endsWith("credentials-need-api-token");
    assertThat(json(open.get(BROKER)).get("tokenSource").asText()).isEqualTo("env");
  }

  /** What a refused call must leave as it was (another test may have set credentials before). */
  private static JsonNode unchanged() {
    JsonNode body = json(guarded.get(BROKER));
    return JSON.createObjectNode()
        .put("tokenSource", body.get("tokenSource").asText())
        .put("credentialsSince", body.get("credentialsSince").asText());
  }

  @Test
  void without_the_api_token_or_with_a_wrong_one_the_call_is_unauthorized() {
    JsonNode before = unchanged();
    assertThat(put(guarded, "{\"accessToken\":\"abc\"}", null).statusCode()).isEqualTo(401);
    assertThat(put(guarded, "{\"accessToken\":\"abc\"}", "wrong").statusCode()).isEqualTo(401);
    assertThat(unchanged()).isEqualTo(before);
  }

  @Test
  void bad_bodies_are_refused_without_quoting_them_and_change_nothing() {
    JsonNode before = unchanged();
    String secret = "leaky-token-value";
    for (String body :
        List.of(
            "{}",
            "{\"accessToken\":\"\"}",
            "{\"accessToken\":42}",
            "{\"accessToken\":\"" + secret + " \"}",
            "{\"accessToken\":\"" + secret + "\",\"clientId\":\"no spaces\"}",
            "{\"accessToken\":\"" + secret + "\",\"token\":\"" + secret + "\"}",
            "{\"accessToken\":\"" + "x".repeat(5000) + "\"}",
            "[\"" + secret + "\"]",
            "not json " + secret)) {
      HttpResponse<String> answer = put(guarded, body, API_TOKEN);

      assertThat(answer.statusCode()).as(body).isEqualTo(400);
      assertThat(json(answer).get("type").asText())
          .as(body)
          .matches(".*(invalid-credentials|bad-request)");
      assertThat(answer.body()).as(body).doesNotContain(secret);
    }
    HttpResponse<String> plain =
        guarded.send(
            HttpRequest.newBuilder(guarded.uri(CREDENTIALS))
                .header("Authorization", "Bearer " + API_TOKEN)
                .header("Content-Type", "text/plain")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"accessToken\":\"" + secret + "\"}")));
    assertThat(plain.statusCode()).isEqualTo(415);
    assertThat(unchanged()).isEqualTo(before);
  }

  @Test
  void a_token_from_the_api_is_used_and_its_exp_an_hour_ahead_degrades_health() throws Exception {
    Instant exp =
        Instant.now()
            .plus(Duration.ofMinutes(59))
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String token = Jwt.expiringAt(exp, "sim-client");

    HttpResponse<String> answer = put(guarded, "{\"accessToken\":\"" + token + "\"}", API_TOKEN);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode body = json(answer);
    assertThat(body.get("tokenSource").asText()).isEqualTo("api");
    assertThat(body.get("reachedEveryNode").asBoolean()).isTrue();
    assertThat(Instant.parse(body.get("tokenExpiresAt").asText())).isEqualTo(exp);
    assertThat(body.get("state").asText()).isEqualTo("expiring");
    assertThat(answer.body()).doesNotContain(token);

    JsonNode status = json(guarded.get(BROKER));
    assertThat(status.get("state").asText()).isEqualTo("expiring");
    assertThat(status.has("reachedEveryNode")).isFalse();
    HttpResponse<String> health = guarded.get("/api/v1/health");
    assertThat(json(health).get("status").asText()).isEqualTo("degraded");
    assertThat(json(health).get("broker").get("state").asText()).isEqualTo("expiring");
    assertThat(Instant.parse(json(health).get("broker").get("tokenExpiresAt").asText()))
        .isEqualTo(exp);
    assertThat(health.body()).doesNotContain(token);
  }
}
