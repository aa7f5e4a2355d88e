package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.testkit.ApiPaths;
import io.tickshard.api.testkit.ApiServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every REST v1 call's happy path, over real HTTP. */
class StreamApiTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static ApiServer server;

  @BeforeAll
  static void start() {
    server = ApiServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void start_answers_started_with_the_canonical_key_then_already_running() {
    HttpResponse<String> first =
        server.postJson(
            "/api/v1/streams", "{\"screenerType\":\"swing\",\"instruments\":[3,1,\"2\",2]}");
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode body = json(first);
    assertThat(body.get("key").asText()).isEqualTo("type:swing|ids:1,2,3");
    assertThat(body.get("status").asText()).isEqualTo("started");
    assertThat(body.get("stream").get("mode").asText()).isEqualTo("quote");
    assertThat(first.headers().firstValue("location")).isPresent();

    await()
        .atMost(WAIT)
        .until(
            () ->
                json(server.get(ApiPaths.stream("type:swing|ids:1,2,3")))
                    .get("status")
                    .asText()
                    .equals("running"));
    HttpResponse<String> again =
        server.postJson("/api/v1/streams", "{\"screenerType\":\"swing\",\"instruments\":[1,2,3]}");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("status").asText()).isEqualTo("already_running");
  }

  @Test
  void status_has_every_field_of_the_contract() {
    server.postJson(
        "/api/v1/streams", "{\"screenerType\":\"fields\",\"instruments\":[7],\"mode\":\"full\"}");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode status = json(server.get(ApiPaths.stream("type:fields|ids:7")));
              assertThat(status.get("status").asText()).isEqualTo("running");
              assertThat(status.get("ticks").asLong()).isPositive();
            });
    JsonNode status = json(server.get(ApiPaths.stream("type:fields|ids:7")));
    for (String field :
        new String[] {
          "key",
          "status",
          "node",
          "pid",
          "startedAt",
          "heartbeatAt",
          "lastTickAt",
          "ticks",
          "instruments",
          "mode",
          "reconnects",
          "lastError"
        }) {
      assertThat(status.has(field)).as(field).isTrue();
    }
    assertThat(status.get("mode").asText()).isEqualTo("full");
    assertThat(status.get("node").asText()).startsWith("127.0.0.1:");
  }

  @Test
  void an_unknown_key_is_404_problem() {
    HttpResponse<String> response = server.get(ApiPaths.stream("type:nobody|ids:999"));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(json(response).get("type").asText()).isEqualTo("/problems/stream-not-found");
  }

  @Test
  void delete_stops_the_stream_and_unsubscribes_its_instruments() {
    server.postJson("/api/v1/streams", "{\"screenerType\":\"deleteme\",\"instruments\":[41,42]}");
    await()
        .atMost(WAIT)
        .until(
            () ->
                json(server.get(ApiPaths.stream("type:deleteme|ids:41,42")))
                    .get("status")
                    .asText()
                    .equals("running"));

    HttpResponse<String> deleted = server.delete(ApiPaths.stream("type:deleteme|ids:41,42"));

    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(json(deleted).get("status").asText()).isEqualTo("stopped");
    // Its instruments are unsubscribed after the grace (1 s here); the socket closes if it
    // carries nothing else.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                server.simulator.state().connections().stream()
                    .flatMap(c -> c.instruments().stream())
                    .noneMatch(i -> i.securityId() == 41 || i.securityId() == 42));
    assertThat(json(server.get(ApiPaths.stream("type:deleteme|ids:41,42"))).get("status").asText())
        .isEqualTo("stopped");
    // A retried stop answers as the first did (a caller that saw a 503 may send it again).
    HttpResponse<String> again = server.delete(ApiPaths.stream("type:deleteme|ids:41,42"));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("stream").get("stoppedAt"))
        .isEqualTo(json(deleted).get("stream").get("stoppedAt"));
  }

  @Test
  void list_and_cluster_show_running_streams_per_node() {
    server.postJson("/api/v1/streams", "{\"screenerType\":\"listed\",\"instruments\":[51]}");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode list = json(server.get("/api/v1/streams"));
              assertThat(list.get("streams").findValuesAsText("key"))
                  .contains("type:listed|ids:51");
              assertThat(list.get("counts").get("total").asInt()).isPositive();
              assertThat(list.get("counts").get("perNode").size()).isEqualTo(1);
            });
    JsonNode cluster = json(server.get("/api/v1/cluster"));
    assertThat(cluster.get("members").size()).isEqualTo(1);
    assertThat(cluster.get("members").get(0).get("status").asText()).isEqualTo("Up");
    assertThat(cluster.get("oldest").asText()).isEqualTo(cluster.get("self").asText());
    assertThat(cluster.get("streamsPerNode").size()).isEqualTo(1);
    JsonNode health = json(server.get("/api/v1/health"));
    assertThat(health.get("status").asText()).isIn("ok", "degraded");
    assertThat(health.get("nextRunAt").asText()).isNotEmpty();
    assertThat(health.get("budget").get("max").asInt()).isEqualTo(50);
    // The registry's figure now, until a scheduled run (every five minutes) reports its own.
    if (health.get("lastRunAt").isNull()) {
      assertThat(health.get("budget").get("used").asInt()).isPositive();
    } else {
      assertThat(health.get("budget").get("used").asInt()).isNotNegative();
    }
  }

  @Test
  void a_stopped_stream_keeps_the_figures_it_had_when_it_stopped() {
    String path = ApiPaths.stream("type:kept|ids:81");
    server.postJson("/api/v1/streams", "{\"screenerType\":\"kept\",\"instruments\":[81]}");
    // Ticking; then a heartbeat of its socket after that (every 500 ms here, 30 s by default),
    // which is when a stream hears its figures.
    await()
        .atMost(WAIT)
        .until(
            () -> {
              JsonNode status = json(server.get(path));
              return status.get("status").asText().equals("running")
                  && status.get("ticks").asLong() > 0;
            });
    Instant ticking = Instant.now();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              JsonNode heartbeat = json(server.get(path)).get("heartbeatAt");
              return !heartbeat.isNull() && Instant.parse(heartbeat.asText()).isAfter(ticking);
            });
    long live = json(server.get(path)).get("ticks").asLong();

    HttpResponse<String> deleted = server.delete(path);
    assertThat(deleted.statusCode()).isEqualTo(200);

    // Read back from the journal by a new incarnation (the stopped entity passivates at once).
    JsonNode stopped = json(server.get(path));
    assertThat(stopped.get("status").asText()).isEqualTo("stopped");
    assertThat(stopped.get("ticks").asLong()).as("its ticks, not 0").isPositive();
    assertThat(stopped.get("ticks").asLong())
        .as("what the stop answered, at most what it had before")
        .isEqualTo(json(deleted).get("stream").get("ticks").asLong())
        .isLessThanOrEqualTo(live + 100);
    assertThat(stopped.get("lastTickAt").isNull()).as("its last tick's time").isFalse();
    assertThat(Instant.parse(stopped.get("lastTickAt").asText()))
        .isBeforeOrEqualTo(Instant.parse(stopped.get("stoppedAt").asText()));
  }

  @Test
  void the_listing_names_each_stream_s_instruments_when_asked() {
    server.postJson(
        "/api/v1/streams", "{\"screenerType\":\"named\",\"instruments\":[\"RELIANCE\"]}");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode named = stream(json(server.get("/api/v1/streams?symbols=true")), "named");
              assertThat(named.get("symbols").get("NSE_EQ:2885").get("symbol").asText())
                  .isEqualTo("RELIANCE");
            });
    assertThat(stream(json(server.get("/api/v1/streams")), "named").has("symbols"))
        .as("left out unless asked")
        .isFalse();
    HttpResponse<String> bad = server.get("/api/v1/streams?symbols=yes");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("detail").asText()).contains("symbols");
  }

  private static JsonNode stream(JsonNode listing, String screenerType) {
    for (JsonNode stream : listing.get("streams")) {
      if (stream.get("key").asText().startsWith("type:" + screenerType + "|")) {
        return stream;
      }
    }
    throw new AssertionError("no " + screenerType + " stream in " + listing);
  }

  @Test
  void a_health_check_asked_for_runs_now_and_its_report_is_kept() {
    server.postJson("/api/v1/streams", "{\"screenerType\":\"checked\",\"instruments\":[71]}");
    await()
        .atMost(WAIT)
        .until(
            () ->
                json(server.get(ApiPaths.stream("type:checked|ids:71")))
                    .get("status")
                    .asText()
                    .equals("running"));
    Instant asked = Instant.now();

    HttpResponse<String> round = server.postJson("/api/v1/health/check", "");
    assertThat(round.statusCode()).as(round.body()).isEqualTo(200);
    JsonNode report = json(round);
    Instant ranAt = Instant.parse(report.get("lastRunAt").asText());
    assertThat(ranAt).isAfterOrEqualTo(asked.minusMillis(5));
    assertThat(report.get("summary").asText()).isNotBlank();
    assertThat(report.get("streams").asInt()).isPositive();
    assertThat(report.get("staleRestarted")).as("heartbeats are fresh").isEmpty();
    assertThat(report.get("status").asText()).isIn("ok", "degraded");

    JsonNode kept = json(server.get("/api/v1/health"));
    assertThat(Instant.parse(kept.get("lastRunAt").asText())).isAfterOrEqualTo(ranAt);
  }

  @Test
  void a_running_key_in_another_mode_is_a_409_mode_conflict() {
    server.postJson(
        "/api/v1/streams", "{\"screenerType\":\"modes\",\"instruments\":[61],\"mode\":\"ticker\"}");
    HttpResponse<String> conflict =
        server.postJson(
            "/api/v1/streams",
            "{\"screenerType\":\"modes\",\"instruments\":[61],\"mode\":\"full\"}");
    assertThat(conflict.statusCode()).isEqualTo(409);
    JsonNode problem = json(conflict);
    assertThat(problem.get("type").asText()).isEqualTo("/problems/mode-conflict");
    assertThat(problem.get("runningMode").asText()).isEqualTo("ticker");
  }

  @Test
  void stop_all_stops_every_stream() {
    server.postJson("/api/v1/streams", "{\"screenerType\":\"all\",\"instruments\":[71]}");
    server.postJson("/api/v1/streams", "{\"screenerType\":\"all\",\"instruments\":[72]}");
    await()
        .atMost(WAIT)
        .until(
            () ->
                json(server.get("/api/v1/streams"))
                    .get("streams")
                    .findValuesAsText("key")
                    .containsAll(java.util.List.of("type:all|ids:71", "type:all|ids:72")));

    HttpResponse<String> stopped = server.postJson("/api/v1/streams/stop-all", "");

    assertThat(stopped.statusCode()).isEqualTo(200);
    assertThat(json(stopped).get("keys").toString()).contains("type:all|ids:71", "type:all|ids:72");
    await()
        .atMost(WAIT)
        .until(() -> json(server.get("/api/v1/streams")).get("counts").get("total").asInt() == 0);
    await().atMost(WAIT).until(() -> server.simulator.state().stats().connectionsOpen() == 0);
  }
}
