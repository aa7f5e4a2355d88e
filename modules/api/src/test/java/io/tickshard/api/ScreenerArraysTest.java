package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.testkit.ApiServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rails' and jQuery's arrays ({@code instrument_ids[]=1&instrument_ids[]=2}, brackets raw or as
 * {@code %5B%5D}) and a repeated {@code instrument_ids} name the same stream as the comma list, in
 * a form start or stop and in a status query, over real HTTP.
 */
class ScreenerArraysTest {
  private static final String START = "/screeners/ltp/start";
  private static final String STOP = "/screeners/ltp/stop";
  private static final String STATUS = "/screeners/websocket/status?screener_type=arrays&";
  private static final String KEY = "type:arrays|ids:1,2,3";
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
  void bracket_arrays_and_repeated_names_are_the_comma_list() {
    JsonNode started =
        ok(
            server.postForm(
                START,
                "screener_type=arrays&instrument_ids[]=3&instrument_ids[]=1&instrument_ids[]=2"));
    assertThat(started.get("status").asText()).isEqualTo("started");
    assertThat(started.get("stream_key").asText()).isEqualTo(KEY);

    List<String> sameForms =
        List.of(
            "screener_type=arrays&instrument_ids%5B%5D=2&instrument_ids%5B%5D=3&instrument_ids%5B%5D=1",
            "screener_type=arrays&instrument_ids%5b%5d=2&instrument_ids%5b%5d=3,1",
            "screener_type=arrays&instrument_ids=3&instrument_ids=1,2",
            "screener_type=arrays&instrument_ids=1,2&instrument_ids[]=3",
            "screener_type=arrays&instrument_ids=1,2,3");
    for (String form : sameForms) {
      JsonNode again = ok(server.postForm(START, form));
      assertThat(again.get("status").asText()).as(form).isIn("already_running", "queued");
      assertThat(again.get("stream_key").asText()).as(form).isEqualTo(KEY);
    }

    List<String> sameQueries =
        List.of(
            "instrument_ids%5B%5D=1&instrument_ids%5B%5D=2&instrument_ids%5B%5D=3",
            "instrument_ids=3&instrument_ids=2&instrument_ids=1", "instrument_ids=1,2,3");
    for (String query : sameQueries) {
      JsonNode status = ok(server.get(STATUS + query));
      assertThat(status.get("stream_key").asText()).as(query).isEqualTo(KEY);
      assertThat(status.get("status").asText()).as(query).isNotEqualTo("not_running");
      assertThat(status.get("stream").get("key").asText()).as(query).isEqualTo(KEY);
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                ok(server.get(
                        STATUS
                            + "instrument_ids%5B%5D=1&instrument_ids%5B%5D=2&instrument_ids%5B%5D=3"))
                    .get("status")
                    .asText()
                    .equals("running"));
    assertThat(server.simulator.state().connections()).as("one feed connection").hasSize(1);

    JsonNode stopped =
        ok(
            server.postForm(
                STOP,
                "screener_type=arrays&instrument_ids[]=2&instrument_ids[]=1&instrument_ids[]=3"));
    assertThat(stopped.get("status").asText()).isEqualTo("stopped");
    assertThat(stopped.get("stream_key").asText()).isEqualTo(KEY);
  }

  @Test
  void empty_or_bad_bracket_values_are_refused_as_the_comma_list_is() {
    problem(server.postForm(START, "screener_type=arrays&instrument_ids[]="), "bad-request")
        .contains("instrument_ids");
    problem(server.get(STATUS + "instrument_ids%5B%5D="), "bad-request").contains("instrument_ids");
    problem(
            server.postForm(START, "screener_type=arrays&instrument_ids[]=7&instrument_ids[]=abc"),
            "unknown-symbol")
        .contains("abc");
    problem(
            server.get(STATUS + "instrument_ids%5B%5D=7&instrument_ids%5B%5D=NSE_XYZ:1"),
            "invalid-stream-key")
        .contains("NSE_XYZ");
    // Nothing of these reached the feed.
    assertThat(server.simulator.state().connections())
        .allSatisfy(
            connection ->
                assertThat(connection.instruments())
                    .noneMatch(s -> s.segment().equals("NSE_EQ") && s.securityId() == 7));
  }

  private static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static org.assertj.core.api.AbstractStringAssert<?> problem(
      HttpResponse<String> response, String type) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode problem = json(response);
    assertThat(problem.get("type").asText()).as(response.body()).isEqualTo("/problems/" + type);
    return assertThat(problem.get("detail").asText()).as(response.body());
  }
}
