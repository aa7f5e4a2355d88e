package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.testkit.ApiPaths;
import io.tickshard.api.testkit.ApiServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A trader's names for instruments (the shipped sample of the broker's list) and a stream's short
 * id: search, starts by symbol, symbols in answers, the id wherever a key goes in a URL.
 */
class InstrumentApiTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static ApiServer server;

  @BeforeAll
  static void start() {
    server = ApiServer.start(Map.of(), 5);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> start(String screener, String instruments) {
    return server.postJson(
        "/api/v1/streams",
        "{\"screenerType\":\"" + screener + "\",\"instruments\":[" + instruments + "]}");
  }

  @Test
  void search_finds_instruments_by_symbol_or_name_best_first() {
    HttpResponse<String> answer = server.get("/api/v1/instruments?q=bank&limit=5");
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonNode body = json(answer.body());
    assertThat(body.get("total").asInt()).isEqualTo(62);
    assertThat(body.get("source").asText()).isEqualTo("sample");
    JsonNode found = body.get("instruments");
    assertThat(found).hasSize(5);
    // Symbols starting with it first (the indices BANKEX, BANKNIFTY), then those containing it.
    assertThat(List.of(found.get(0).get("symbol").asText(), found.get(1).get("symbol").asText()))
        .containsExactly("BANKEX", "BANKNIFTY");
    assertThat(found.get(1).get("id").asText()).isEqualTo("IDX_I:25");
    assertThat(found.findValuesAsText("symbol")).contains("AXISBANK");

    JsonNode hdfc =
        json(server.get("/api/v1/instruments?q=HDFCBANK").body()).get("instruments").get(0);
    assertThat(hdfc.get("segment").asText()).isEqualTo("NSE_EQ");
    assertThat(hdfc.get("securityId").asInt()).isEqualTo(1333);
    assertThat(hdfc.get("name").asText()).isEqualTo("HDFC Bank");
    assertThat(hdfc.get("kind").asText()).isEqualTo("EQUITY");
  }

  @Test
  void a_search_without_a_query_or_with_a_bad_limit_is_a_400() {
    for (String query : List.of("", "?q=", "?q=%20", "?q=rel&limit=0", "?q=rel&limit=many")) {
      HttpResponse<String> answer = server.get("/api/v1/instruments" + query);
      assertThat(answer.statusCode()).as(query).isEqualTo(400);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
  }

  @Test
  void a_start_by_symbols_runs_the_ids_and_its_answers_name_them() {
    HttpResponse<String> started = start("symbols", "\"RELIANCE\",\"idx_i:nifty\",1333");
    assertThat(started.statusCode()).isEqualTo(201);
    JsonNode body = json(started.body());
    assertThat(body.get("key").asText()).isEqualTo("type:symbols|ids:IDX_I:13,1333,2885");
    String id = body.get("id").asText();
    assertThat(id).matches("[a-z2-7]{12}");
    assertThat(started.headers().firstValue("Location")).hasValue("/api/v1/streams/" + id);
    JsonNode symbols = body.get("stream").get("symbols");
    assertThat(symbols.get("NSE_EQ:2885").get("symbol").asText()).isEqualTo("RELIANCE");
    assertThat(symbols.get("IDX_I:13").get("name").asText()).isEqualTo("Nifty 50");
    assertThat(symbols.get("NSE_EQ:1333").get("symbol").asText()).isEqualTo("HDFCBANK");

    // The same key however it is named: by ids it is already running.
    HttpResponse<String> again = start("symbols", "2885,\"IDX_I:13\",\"HDFCBANK\"");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again.body()).get("status").asText()).isIn("already_running", "queued");
    assertThat(json(again.body()).get("key").asText()).isEqualTo(body.get("key").asText());
  }

  @Test
  void unknown_symbols_are_a_400_naming_them_and_start_nothing() {
    int before = json(server.get(ApiPaths.STREAMS).body()).get("streams").size();
    HttpResponse<String> refused = start("unknown", "\"RELIANCE\",\"NOSUCH\",\"NSE_FNO:ALSONOT\"");
    assertThat(refused.statusCode()).isEqualTo(400);
    JsonNode problem = json(refused.body());
    assertThat(problem.get("type").asText()).endsWith("/problems/unknown-symbol");
    assertThat(problem.get("symbols"))
        .extracting(JsonNode::asText)
        .containsExactly("NOSUCH", "NSE_FNO:ALSONOT");
    assertThat(problem.get("detail").asText()).contains("NOSUCH", "GET /api/v1/instruments?q=");
    assertThat(json(server.get(ApiPaths.STREAMS).body()).get("streams")).hasSize(before);
  }

  @Test
  void the_screener_endpoints_take_symbols_too() {
    HttpResponse<String> started =
        server.postForm("/screeners/ltp/start", "screener_type=legacy-sym&instrument_ids=TCS,INFY");
    assertThat(started.statusCode()).isIn(200, 201);
    assertThat(started.body()).contains("type:legacy-sym|ids:1594,11536");
  }

  @Test
  void a_short_id_names_the_stream_wherever_its_key_would_even_for_5000_instruments() {
    List<String> ids =
        IntStream.rangeClosed(1, 5_000).mapToObj(i -> String.valueOf(100_000 + i)).toList();
    HttpResponse<String> started =
        start(
            "nifty-huge", ids.stream().map(i -> "\"" + i + "\"").collect(Collectors.joining(",")));
    assertThat(started.statusCode()).isEqualTo(201);
    String key = json(started.body()).get("key").asText();
    String location = started.headers().firstValue("Location").orElseThrow();
    assertThat(location.length()).isLessThan(40);
    // The key itself is far too long for a URL.
    assertThat(server.get(ApiPaths.stream(key)).statusCode()).isEqualTo(414);

    HttpResponse<String> status = server.get(location);
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(json(status.body()).get("key").asText()).isEqualTo(key);
    assertThat(json(status.body()).get("instruments").asInt()).isEqualTo(5_000);
    await()
        .atMost(WAIT)
        .until(() -> json(server.get(location).body()).get("status").asText(), "running"::equals);
    try (SseClient viewer = new SseClient(server.uri(location + "/ticks"))) {
      await().atMost(WAIT).until(() -> !viewer.named("tick").isEmpty());
    }
    assertThat(server.get(location + "/snapshot").statusCode()).isEqualTo(200);

    assertThat(server.delete(location).statusCode()).isEqualTo(200);
    // Stopped, its id still names it on the node that saw it.
    HttpResponse<String> stopped = server.get(location);
    assertThat(stopped.statusCode()).isEqualTo(200);
    assertThat(json(stopped.body()).get("status").asText()).isEqualTo("stopped");
  }

  @Test
  void the_registry_resolves_the_id_of_a_running_stream_this_node_never_answered_about() {
    // Started through the screener call, which answers no id: this node has not seen it.
    HttpResponse<String> started =
        server.postForm("/screeners/ltp/start", "screener_type=by-id&instrument_ids=4963");
    assertThat(started.statusCode()).isIn(200, 201);
    String id = io.tickshard.streams.StreamKey.parse("type:by-id|ids:4963").shortId();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              HttpResponse<String> status = server.get(ApiPaths.STREAMS + "/" + id);
              assertThat(status.statusCode()).isEqualTo(200);
              assertThat(json(status.body()).get("key").asText()).isEqualTo("type:by-id|ids:4963");
            });
  }

  @Test
  void an_id_no_stream_has_is_a_404_naming_it() {
    HttpResponse<String> answer = server.get(ApiPaths.STREAMS + "/aaaaaaaaaaaa");
    assertThat(answer.statusCode()).isEqualTo(404);
    JsonNode problem = json(answer.body());
    assertThat(problem.get("type").asText()).endsWith("/problems/stream-not-found");
    assertThat(problem.get("id").asText()).isEqualTo("aaaaaaaaaaaa");
  }
}
