package io.tickshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the admin API reports, and how it answers calls it does not know. */
class AdminApiTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static FeedSimulator simulator;
  private static AdminClient admin;

  @BeforeAll
  static void start() {
    simulator = FeedSimulator.start(SimulatorConfig.defaults());
    admin = new AdminClient(simulator);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void connections_show_client_opened_at_and_mode_per_instrument() throws Exception {
    Instant before = Instant.now();
    try (FeedClient client =
        FeedClient.connect(
            simulator.feedUrl(
                SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN))) {
      client.send(
          FeedRequest.subscribe(
              FeedMode.QUOTE, List.of(Instrument.of(ExchangeSegment.NSE_EQ, 1333))));
      client.send(
          FeedRequest.subscribe(
              FeedMode.FULL, List.of(Instrument.of(ExchangeSegment.NSE_FNO, 55796))));
      await().atMost(WAIT).until(() -> admin.stats().get("subscribeMessages").asInt() >= 2);

      AdminClient.Answer answer = admin.get("connections");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.contentType()).isEqualTo("application/json");
      JsonNode connection = answer.body().get(0);
      assertThat(connection.get("clientId").asText()).isEqualTo("sim-client");
      assertThat(Instant.parse(connection.get("openedAt").asText()))
          .isAfterOrEqualTo(before.minusSeconds(1));
      assertThat(connection.get("instrumentCount").asInt()).isEqualTo(2);
      assertThat(connection.get("instrumentsPerMode").get("quote").asInt()).isEqualTo(1);
      assertThat(connection.get("instruments").toString())
          .contains("\"segment\":\"NSE_EQ\",\"securityId\":1333,\"mode\":\"quote\"")
          .contains("\"segment\":\"NSE_FNO\",\"securityId\":55796,\"mode\":\"full\"");
      assertThat(answer.body().toString()).doesNotContain(SimulatorConfig.DEFAULT_ACCESS_TOKEN);
    }
  }

  @Test
  void stats_count_connections_frames_and_messages() throws Exception {
    JsonNode before = admin.stats();
    try (FeedClient client =
        FeedClient.connect(
            simulator.feedUrl(
                SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN))) {
      client.send(
          FeedRequest.subscribe(
              FeedMode.TICKER, List.of(Instrument.of(ExchangeSegment.NSE_EQ, 1))));
      client.send(
          FeedRequest.unsubscribe(
              FeedMode.TICKER, List.of(Instrument.of(ExchangeSegment.NSE_EQ, 1))));
      await()
          .atMost(WAIT)
          .until(
              () ->
                  admin.stats().get("unsubscribeMessages").asLong()
                      > before.get("unsubscribeMessages").asLong());
      JsonNode after = admin.stats();
      assertThat(after.get("connectionsOpened").asLong())
          .isEqualTo(before.get("connectionsOpened").asLong() + 1);
      assertThat(after.get("connectionsOpen").asLong()).isEqualTo(1);
      assertThat(after.get("subscribeMessages").asLong())
          .isEqualTo(before.get("subscribeMessages").asLong() + 1);
      assertThat(after.get("framesSent").asLong()).isGreaterThan(before.get("framesSent").asLong());
      assertThat(after.has("evictions")).isTrue();
    }
  }

  @Test
  void the_timeline_records_each_connection_with_its_instruments_and_close_time() throws Exception {
    long id;
    try (FeedClient client =
        FeedClient.connect(
            simulator.feedUrl(
                SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN))) {
      client.send(
          FeedRequest.subscribe(
              FeedMode.TICKER, List.of(Instrument.of(ExchangeSegment.NSE_EQ, 777))));
      await()
          .atMost(WAIT)
          .until(() -> admin.get("timeline").body().toString().contains("\"NSE_EQ:777\""));
      JsonNode entry = last(admin.get("timeline").body());
      assertThat(entry.get("closedAt").isNull()).isTrue();
      id = entry.get("id").asLong();
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode entry = last(admin.get("timeline").body());
              assertThat(entry.get("id").asLong()).isEqualTo(id);
              assertThat(Instant.parse(entry.get("closedAt").asText()))
                  .isAfterOrEqualTo(Instant.parse(entry.get("openedAt").asText()));
              assertThat(entry.get("instruments").toString()).isEqualTo("[\"NSE_EQ:777\"]");
            });
  }

  private static JsonNode last(JsonNode array) {
    return array.get(array.size() - 1);
  }

  @Test
  void unknown_calls_wrong_methods_and_bad_arguments_get_clear_errors() throws Exception {
    assertThat(admin.get("nothing-here").status()).isEqualTo(404);
    assertThat(admin.post("stats").status()).isEqualTo(405);
    assertThat(admin.get("faults/drop").status()).isEqualTo(405);
    assertThat(admin.post("faults/explode").status()).isEqualTo(404);
    AdminClient.Answer noReason = admin.post("faults/disconnect");
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.body().get("error").asText()).contains("reason");
    assertThat(admin.post("faults/drop?connection=abc").status()).isEqualTo(400);
    assertThat(admin.post("faults/refuse-auth?style=sideways").status()).isEqualTo(400);
  }

  @Test
  void a_plain_http_request_to_the_feed_path_is_told_to_upgrade() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulator.port() + "/"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(426);
  }
}
