package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.testkit.ApiServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The endpoints the old screener pages call ({@code /screeners/ltp/start}, {@code
 * /screeners/ltp/stop}, {@code /screeners/websocket/status}), with form fields or JSON, over real
 * HTTP to a real feed simulator.
 */
class ScreenerApiTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String START = "/screeners/ltp/start";
  private static final String STOP = "/screeners/ltp/stop";
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
  void a_form_start_runs_one_feed_connection_until_stop_closes_it() {
    String form = "screener_type=swing&instrument_ids=3,1,2,2&websocket=true";

    HttpResponse<String> first = server.postForm(START, form);

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(first.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode started = json(first);
    assertThat(started.get("status").asText()).isEqualTo("started");
    assertThat(started.get("message").asText()).isNotBlank();
    assertThat(started.get("mode").asText()).isEqualTo("websocket");
    assertThat(started.get("stream_key").asText()).isEqualTo("type:swing|ids:1,2,3");

    JsonNode again = json(server.postForm(START, form));
    assertThat(again.get("status").asText()).isIn("already_running", "queued");
    assertThat(again.get("stream_key").asText()).isEqualTo("type:swing|ids:1,2,3");

    await()
        .atMost(WAIT)
        .until(() -> status("swing", "1,2,3").get("status").asText().equals("running"));
    JsonNode running = status("swing", "1,2,3");
    assertThat(running.get("mode").asText()).isEqualTo("websocket");
    assertThat(running.get("stream_key").asText()).isEqualTo("type:swing|ids:1,2,3");
    assertThat(running.get("message").asText()).isNotBlank();

    JsonNode whileRunning = json(server.postForm(START, form));
    assertThat(whileRunning.get("status").asText()).isEqualTo("already_running");
    assertThat(whileRunning.get("mode").asText()).isEqualTo("websocket");

    HttpResponse<String> asJson =
        server.postJson(
            START, "{\"screener_type\":\"swing\",\"instrument_ids\":[3,1,2,2],\"websocket\":true}");
    assertThat(asJson.statusCode()).as(asJson.body()).isEqualTo(200);
    assertThat(json(asJson).get("status").asText()).isEqualTo("already_running");
    assertThat(json(asJson).get("stream_key").asText()).isEqualTo("type:swing|ids:1,2,3");
    assertThat(connectionsCarrying(1, 2, 3)).as("upstream connections for 1,2,3").isEqualTo(1);

    HttpResponse<String> stopped =
        server.postForm(STOP, "screener_type=swing&instrument_ids=3,2,1");

    assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
    assertThat(json(stopped).get("status").asText()).isEqualTo("stopped");
    assertThat(json(stopped).get("mode").asText()).isEqualTo("websocket");
    assertThat(json(stopped).get("stream_key").asText()).isEqualTo("type:swing|ids:1,2,3");
    await().atMost(Duration.ofSeconds(5)).until(() -> connectionsCarrying(1, 2, 3) == 0);
    assertThat(status("swing", "1,2,3").get("status").asText()).isEqualTo("stopped");

    JsonNode stopAgain = json(server.postForm(STOP, "screener_type=swing&instrument_ids=1,2,3"));
    assertThat(stopAgain.get("status").asText()).isEqualTo("not_running");
    assertThat(stopAgain.get("stream_key").asText()).isEqualTo("type:swing|ids:1,2,3");
  }

  @Test
  void a_json_start_takes_instrument_ids_as_an_array_of_numbers_and_segment_ids() {
    HttpResponse<String> first =
        server.postJson(
            START,
            "{\"screener_type\":\"momentum\",\"instrument_ids\":[12,\"NSE_FNO:55796\",11,12]}");

    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    JsonNode started = json(first);
    assertThat(started.get("status").asText()).isEqualTo("started");
    assertThat(started.get("mode").asText()).isEqualTo("websocket");
    assertThat(started.get("stream_key").asText())
        .isEqualTo("type:momentum|ids:11,12,NSE_FNO:55796");

    // The same set as the CSV the pages send is the same stream.
    JsonNode asCsv =
        json(
            server.postJson(
                START,
                "{\"screener_type\":\"momentum\",\"instrument_ids\":\"NSE_FNO:55796, 11,12\"}"));
    assertThat(asCsv.get("status").asText()).isIn("already_running", "queued");
    assertThat(asCsv.get("stream_key").asText()).isEqualTo("type:momentum|ids:11,12,NSE_FNO:55796");

    JsonNode stopped =
        json(
            server.postJson(
                STOP,
                "{\"screener_type\":\"momentum\",\"instrument_ids\":[11,12,\"NSE_FNO:55796\"]}"));
    assertThat(stopped.get("status").asText()).isEqualTo("stopped");
    await().atMost(Duration.ofSeconds(5)).until(() -> connectionsCarrying(11, 12) == 0);
  }

  @Test
  void the_status_of_a_never_started_set_is_not_running() {
    HttpResponse<String> response =
        server.get("/screeners/websocket/status?screener_type=never&instrument_ids=9,8,9");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode status = json(response);
    assertThat(status.get("status").asText()).isEqualTo("not_running");
    assertThat(status.get("message").asText()).isNotBlank();
    assertThat(status.get("mode").asText()).isEqualTo("websocket");
    assertThat(status.get("stream_key").asText()).isEqualTo("type:never|ids:8,9");
  }

  @Test
  void stopping_a_never_started_set_is_not_running() {
    JsonNode stopped = json(server.postForm(STOP, "screener_type=never&instrument_ids=7"));
    assertThat(stopped.get("status").asText()).isEqualTo("not_running");
    assertThat(stopped.get("stream_key").asText()).isEqualTo("type:never|ids:7");
  }

  @Test
  void a_missing_screener_type_or_instrument_ids_is_a_400_problem() {
    assertBadRequest(
        server.postForm(START, "instrument_ids=1,2,3&websocket=true"), "screener_type");
    assertBadRequest(
        server.postForm(START, "screener_type=swing&websocket=true"), "instrument_ids");
    assertBadRequest(
        server.postForm(START, "screener_type=swing&instrument_ids="), "instrument_ids");
    assertBadRequest(server.postForm(START, "screener_type=&instrument_ids=1"), "screener_type");
    assertBadRequest(server.postJson(START, "{\"instrument_ids\":[1,2,3]}"), "screener_type");
    assertBadRequest(server.postJson(START, "{\"screener_type\":\"swing\"}"), "instrument_ids");
    assertBadRequest(server.postForm(STOP, "instrument_ids=1,2,3"), "screener_type");
    assertBadRequest(server.postForm(STOP, "screener_type=swing"), "instrument_ids");
    assertBadRequest(
        server.get("/screeners/websocket/status?screener_type=swing"), "instrument_ids");
    assertBadRequest(server.get("/screeners/websocket/status?instrument_ids=1"), "screener_type");
    assertThat(server.simulator.state().connections())
        .as("no bad start opened a feed connection")
        .allSatisfy(
            connection ->
                assertThat(connection.instruments())
                    .noneMatch(s -> s.segment().equals("NSE_EQ") && s.securityId() <= 3));
  }

  private static void assertBadRequest(HttpResponse<String> response, String missing) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode problem = json(response);
    assertThat(problem.get("type").asText()).isEqualTo("/problems/bad-request");
    assertThat(problem.get("status").asInt()).isEqualTo(400);
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).as(response.body()).contains(missing);
  }

  /** Open feed connections subscribed to any of these NSE_EQ ids. */
  private static long connectionsCarrying(int... ids) {
    Set<Integer> wanted = new HashSet<>();
    for (int id : ids) {
      wanted.add(id);
    }
    return server.simulator.state().connections().stream()
        .filter(
            connection ->
                connection.instruments().stream()
                    .anyMatch(s -> s.segment().equals("NSE_EQ") && wanted.contains(s.securityId())))
        .count();
  }

  private static JsonNode status(String screenerType, String ids) {
    HttpResponse<String> response =
        server.get(
            "/screeners/websocket/status?screener_type=" + screenerType + "&instrument_ids=" + ids);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }
}
