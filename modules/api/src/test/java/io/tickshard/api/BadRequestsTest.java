package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.testkit.ApiPaths;
import io.tickshard.api.testkit.ApiServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad request a client can send gets a problem answer with the right status and a
 * stable type, never a stack trace, and never starts anything: after the whole table, no stream
 * runs and the feed simulator has not seen a single connection.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadRequestsTest {
  private static final String TOKEN = "s3cret";
  private static final String STREAMS = ApiPaths.STREAMS;
  private static final String JSON = "Content-Type: application/json";
  private static final String FORM = "Content-Type: application/x-www-form-urlencoded";
  private static final String VALID = "{\"screenerType\":\"swing\",\"instruments\":[1,2,3]}";
  private static final int ONE_MIB = 1024 * 1024;

  /** Open: no token configured. */
  private static ApiServer open;

  /** Guarded: mutating calls need {@code Authorization: Bearer s3cret}. */
  private static ApiServer guarded;

  @BeforeAll
  static void start() {
    open = ApiServer.start();
    guarded = ApiServer.start(Map.of("tickshard.api.token", TOKEN));
  }

  @AfterAll
  static void stop() {
    if (open != null) {
      open.close();
    }
    if (guarded != null) {
      guarded.close();
    }
  }

  // ---- the table -------------------------------------------------------------------------------

  static Stream<Arguments> badRequests() {
    return Stream.of(
            // The start body: not JSON, not an object, not there, not declared as JSON.
            bad("malformed JSON")
                .post(STREAMS)
                .json("{\"screenerType\":\"swing\",\"instruments\":[1,")
                .expect(400, "bad-request"),
            bad("JSON array instead of object")
                .post(STREAMS)
                .json("[" + VALID + "]")
                .expect(400, "bad-request"),
            bad("JSON string instead of object")
                .post(STREAMS)
                .json("\"swing\"")
                .expect(400, "bad-request"),
            bad("JSON null instead of object")
                .post(STREAMS)
                .json("null")
                .expect(400, "bad-request"),
            bad("JSON object followed by more")
                .post(STREAMS)
                .json(VALID + " x")
                .expect(400, "bad-request"),
            bad("JSON nested deeper than the parser allows")
                .post(STREAMS)
                .json(start("\"swing\"", "[".repeat(1_500)))
                .expect(400, "bad-request"),
            bad("empty body declared as JSON").post(STREAMS).json("").expect(400, "bad-request"),
            bad("no body, no content type").post(STREAMS).body(null, "").expect(400, "bad-request"),
            bad("valid JSON sent as text/plain")
                .post(STREAMS)
                .body("Content-Type: text/plain; charset=UTF-8", VALID)
                .expect(415, "unsupported-media-type"),
            bad("form-encoded start")
                .post(STREAMS)
                .body(FORM, "screenerType=swing&instruments=1")
                .expect(415, "unsupported-media-type"),
            // screenerType.
            bad("screenerType missing")
                .post(STREAMS)
                .json("{\"instruments\":[1]}")
                .expect(400, "bad-request"),
            bad("screenerType a number")
                .post(STREAMS)
                .json("{\"screenerType\":7,\"instruments\":[1]}")
                .expect(400, "bad-request"),
            bad("screenerType null")
                .post(STREAMS)
                .json("{\"screenerType\":null,\"instruments\":[1]}")
                .expect(400, "bad-request"),
            bad("screenerType uppercase")
                .post(STREAMS)
                .json(start("\"Swing\"", "[1]"))
                .expect(400, "invalid-stream-key"),
            bad("screenerType with spaces")
                .post(STREAMS)
                .json(start("\"my swing\"", "[1]"))
                .expect(400, "invalid-stream-key"),
            bad("screenerType of 33 characters")
                .post(STREAMS)
                .json(start("\"" + "a".repeat(33) + "\"", "[1]"))
                .expect(400, "invalid-stream-key"),
            bad("screenerType empty")
                .post(STREAMS)
                .json(start("\"\"", "[1]"))
                .expect(400, "invalid-stream-key"),
            bad("screenerType with a pipe")
                .post(STREAMS)
                .json(start("\"a|ids:9\"", "[1]"))
                .expect(400, "invalid-stream-key"),
            // instruments.
            bad("instruments missing")
                .post(STREAMS)
                .json("{\"screenerType\":\"swing\"}")
                .expect(400, "bad-request"),
            bad("instruments a CSV string, not an array")
                .post(STREAMS)
                .json(start("\"swing\"", "\"1,2,3\""))
                .expect(400, "bad-request"),
            bad("instruments an object")
                .post(STREAMS)
                .json(start("\"swing\"", "{\"1\":1}"))
                .expect(400, "bad-request"),
            bad("instruments an empty array")
                .post(STREAMS)
                .json(start("\"swing\"", "[]"))
                .expect(400, "invalid-stream-key"),
            bad("5,001 distinct instruments")
                .post(STREAMS)
                .json(start("\"many\"", ids(IntStream.rangeClosed(1, 5_001))))
                .expect(400, "invalid-stream-key"),
            bad("instrument a float")
                .post(STREAMS)
                .json(start("\"swing\"", "[1,1.5]"))
                .expect(400, "invalid-stream-key"),
            bad("instrument an object")
                .post(STREAMS)
                .json(start("\"swing\"", "[{\"id\":1}]"))
                .expect(400, "invalid-stream-key"),
            bad("instrument a boolean")
                .post(STREAMS)
                .json(start("\"swing\"", "[true]"))
                .expect(400, "invalid-stream-key"),
            bad("instrument null")
                .post(STREAMS)
                .json(start("\"swing\"", "[1,null]"))
                .expect(400, "invalid-stream-key"),
            bad("instrument negative")
                .post(STREAMS)
                .json(start("\"swing\"", "[-5]"))
                .expect(400, "invalid-stream-key"),
            bad("instrument zero")
                .post(STREAMS)
                .json(start("\"swing\"", "[0]"))
                .expect(400, "invalid-stream-key"),
            bad("instrument \"abc\"")
                .post(STREAMS)
                .json(start("\"swing\"", "[\"abc\"]"))
                .expect(400, "unknown-symbol"),
            bad("instrument 2147483648 (over int)")
                .post(STREAMS)
                .json(start("\"swing\"", "[2147483648]"))
                .expect(400, "invalid-stream-key"),
            bad("instrument \"2147483648\" as text")
                .post(STREAMS)
                .json(start("\"swing\"", "[\"2147483648\"]"))
                .expect(400, "invalid-stream-key"),
            bad("instrument of 30 digits")
                .post(STREAMS)
                .json(start("\"swing\"", "[123456789012345678901234567890]"))
                .expect(400, "invalid-stream-key"),
            bad("instrument of an unknown segment NSE_XYZ:1")
                .post(STREAMS)
                .json(start("\"swing\"", "[\"NSE_XYZ:1\"]"))
                .expect(400, "invalid-stream-key"),
            bad("instrument NSE_FNO: without an id")
                .post(STREAMS)
                .json(start("\"swing\"", "[\"NSE_FNO:\"]"))
                .expect(400, "invalid-stream-key"),
            // mode.
            bad("mode unknown")
                .post(STREAMS)
                .json("{\"screenerType\":\"swing\",\"instruments\":[1],\"mode\":\"turbo\"}")
                .expect(400, "bad-request"),
            bad("mode a number")
                .post(STREAMS)
                .json("{\"screenerType\":\"swing\",\"instruments\":[1],\"mode\":2}")
                .expect(400, "bad-request"),
            // Keys in the path.
            bad("bad percent-encoding /api/v1/streams/%zz")
                .get(STREAMS + "/%zz")
                .raw()
                .expect(400, "malformed-request"),
            bad("unencoded | in a key path")
                .get(STREAMS + "/type:swing|ids:1,2")
                .raw()
                .expect(400, "malformed-request"),
            bad("unencoded | in a ticks path")
                .get(STREAMS + "/type:swing|ids:1,2/ticks")
                .raw()
                .expect(400, "malformed-request"),
            bad("DELETE with an unencoded | in the key")
                .delete(STREAMS + "/type:swing|ids:1,2")
                .raw()
                .expect(400, "malformed-request"),
            bad("key not of the form type:..|ids:..")
                .get(STREAMS + "/hello")
                .expect(400, "invalid-stream-key"),
            bad("key with an uppercase type")
                .get(ApiPaths.stream("type:Swing|ids:1"))
                .expect(400, "invalid-stream-key"),
            bad("key with no ids")
                .get(ApiPaths.stream("type:swing|ids:"))
                .expect(400, "invalid-stream-key"),
            bad("key with a bad id")
                .get(ApiPaths.stream("type:swing|ids:1,abc"))
                .expect(400, "invalid-stream-key"),
            bad("DELETE of a malformed key")
                .delete(STREAMS + "/hello")
                .expect(400, "invalid-stream-key"),
            bad("ticks of a malformed key")
                .get(STREAMS + "/hello/ticks")
                .expect(400, "invalid-stream-key"),
            // Methods.
            bad("PUT /api/v1/streams")
                .method("PUT", STREAMS)
                .json(VALID)
                .expect(405, "method-not-allowed"),
            bad("DELETE /api/v1/streams").delete(STREAMS).expect(405, "method-not-allowed"),
            bad("PATCH on a key")
                .method("PATCH", ApiPaths.stream("type:swing|ids:1"))
                .json("{}")
                .expect(405, "method-not-allowed"),
            bad("POST /api/v1/cluster")
                .post("/api/v1/cluster")
                .json("{}")
                .expect(405, "method-not-allowed"),
            bad("PUT /api/v1/streams/stop-all")
                .method("PUT", STREAMS + "/stop-all")
                .expect(405, "method-not-allowed"),
            // Nothing there.
            bad("unknown path /api/v1/nothing").get("/api/v1/nothing").expect(404, "not-found"),
            bad("unknown path /nothing").get("/nothing").expect(404, "not-found"),
            bad("unknown UI file").get("/ui/nothing.html").expect(404, "not-found"),
            bad("GET of an unknown valid key")
                .get(ApiPaths.stream("type:nobody|ids:999"))
                .expect(404, "stream-not-found"),
            bad("ticks of an unknown valid key")
                .get(ApiPaths.stream("type:nobody|ids:998") + "/ticks")
                .expect(404, "stream-not-found"),
            bad("DELETE of a never-started key")
                .delete(ApiPaths.stream("type:nobody|ids:997"))
                .expect(404, "stream-not-running"),
            // The screener-compatible endpoints.
            bad("screener start as text/plain")
                .post("/screeners/ltp/start")
                .body("Content-Type: text/plain", "screener_type=swing&instrument_ids=1")
                .expect(415, "unsupported-media-type"),
            bad("screener start without screener_type")
                .post("/screeners/ltp/start")
                .body(FORM, "instrument_ids=1,2")
                .expect(400, "bad-request"),
            bad("screener start with malformed JSON")
                .post("/screeners/ltp/start")
                .json("{\"screener_type\":")
                .expect(400, "bad-request"),
            bad("screener start with a nested object")
                .post("/screeners/ltp/start")
                .json("{\"screener_type\":{\"a\":1},\"instrument_ids\":\"1\"}")
                .expect(400, "bad-request"),
            bad("screener start with an object among the JSON instrument_ids")
                .post("/screeners/ltp/start")
                .json("{\"screener_type\":\"swing\",\"instrument_ids\":[1,{\"a\":1}]}")
                .expect(400, "invalid-stream-key"),
            bad("screener start with instrument_ids[] empty")
                .post("/screeners/ltp/start")
                .body(FORM, "screener_type=swing&instrument_ids[]=")
                .expect(400, "bad-request"),
            bad("screener start with an unknown symbol among instrument_ids[]")
                .post("/screeners/ltp/start")
                .body(FORM, "screener_type=swing&instrument_ids[]=1&instrument_ids[]=abc")
                .expect(400, "unknown-symbol"),
            bad("screener status with an unknown symbol among instrument_ids%5B%5D")
                .get(
                    "/screeners/websocket/status?screener_type=swing"
                        + "&instrument_ids%5B%5D=1&instrument_ids%5B%5D=abc")
                .expect(400, "unknown-symbol"),
            bad("screener status with unencoded [] in the query")
                .get("/screeners/websocket/status?screener_type=swing&instrument_ids[]=1")
                .raw()
                .expect(400, "malformed-request"),
            bad("screener status with instrument_ids=abc")
                .get("/screeners/websocket/status?screener_type=swing&instrument_ids=abc")
                .expect(400, "unknown-symbol"),
            // With a token configured.
            bad("start without Authorization")
                .guarded()
                .post(STREAMS)
                .json(VALID)
                .expect(401, "unauthorized"),
            bad("start with a wrong token")
                .guarded()
                .post(STREAMS)
                .json(VALID)
                .header("Authorization: Bearer nope")
                .expect(401, "unauthorized"),
            bad("start with the token plus a suffix")
                .guarded()
                .post(STREAMS)
                .json(VALID)
                .header("Authorization: Bearer " + TOKEN + "X")
                .expect(401, "unauthorized"),
            bad("start with an empty bearer")
                .guarded()
                .post(STREAMS)
                .json(VALID)
                .header("Authorization: Bearer ")
                .expect(401, "unauthorized"),
            bad("start with Basic credentials")
                .guarded()
                .post(STREAMS)
                .json(VALID)
                .header("Authorization: Basic czNjcmV0OnMzY3JldA==")
                .expect(401, "unauthorized"),
            bad("screener start without the token")
                .guarded()
                .post("/screeners/ltp/start")
                .body(FORM, "screener_type=swing&instrument_ids=1,2,3")
                .expect(401, "unauthorized"),
            bad("screener stop without the token")
                .guarded()
                .post("/screeners/ltp/stop")
                .body(FORM, "screener_type=swing&instrument_ids=1,2,3")
                .expect(401, "unauthorized"),
            bad("DELETE of a key without the token")
                .guarded()
                .delete(ApiPaths.stream("type:swing|ids:1,2,3"))
                .expect(401, "unauthorized"),
            bad("stop-all without the token")
                .guarded()
                .post(STREAMS + "/stop-all")
                .json("")
                .expect(401, "unauthorized"),
            bad("right token, malformed JSON")
                .guarded()
                .post(STREAMS)
                .json("{")
                .header("Authorization: Bearer " + TOKEN)
                .expect(400, "bad-request"))
        .map(row -> Arguments.of(Named.of(row.name, row)));
  }

  /**
   * Rows the main code answers wrongly today (see each name); the table is kept so it runs once
   * they are fixed.
   */
  static Stream<Arguments> sizeAndMethodEdges() {
    return Stream.of(
            bad("1 MiB start body")
                .post(STREAMS)
                .raw()
                .json(hugeJson())
                .expect(413, "payload-too-large"),
            bad("1 MiB screener form")
                .post("/screeners/ltp/start")
                .raw()
                .body(FORM, "screener_type=big&instrument_ids=" + "1,".repeat(ONE_MIB / 2) + "1")
                .expect(413, "payload-too-large"),
            bad("GET /screeners/ltp/start (a POST-only path)")
                .get("/screeners/ltp/start")
                .expect(405, "method-not-allowed"),
            bad("POST to an unknown path")
                .post("/api/v1/nothing")
                .json("{}")
                .expect(404, "not-found"),
            bad("GET /api/v1/streams/stop-all (a POST-only path)")
                .get(STREAMS + "/stop-all")
                .expect(405, "method-not-allowed"))
        .map(row -> Arguments.of(Named.of(row.name, row)));
  }

  @Order(1)
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badRequests")
  void answers_a_problem(Bad row) {
    assertProblem(row, row.send());
  }

  @Order(1)
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("sizeAndMethodEdges")
  void answers_size_and_method_edges_with_the_right_problem(Bad row) {
    assertProblem(row, row.send());
  }

  /** An oversized body, checked on its own as well: the detail names no Java class. */
  @Order(1)
  @Test
  void a_body_over_the_limit_is_refused_with_413() {
    Bad row = bad("1 MiB start body").post(STREAMS).raw().json(hugeJson());
    Answer answer = row.send();
    String seen = answer.status + " " + answer.headers + " " + answer.body;
    assertThat(answer.status).as(seen).isEqualTo(413);
    assertThat(answer.header("content-type")).as(seen).isEqualTo("application/problem+json");
    JsonNode problem = json(answer.body, seen);
    assertThat(problem.path("status").asInt()).as(seen).isEqualTo(413);
    assertThat(problem.path("detail").asText()).as(seen).isNotBlank().doesNotContain("Exception");
    assertThat(problem.path("type").asText()).isEqualTo("/problems/payload-too-large");
  }

  @Order(1)
  @Test
  void a_405_names_the_allowed_methods_in_an_allow_header() {
    Map<Bad, List<String>> allowed =
        Map.of(
            bad("PUT /api/v1/streams").method("PUT", STREAMS).json(VALID),
            List.of("GET", "POST"),
            bad("PATCH on a key").method("PATCH", ApiPaths.stream("type:swing|ids:1")).json("{}"),
            List.of("GET", "DELETE"),
            bad("POST /api/v1/cluster").post("/api/v1/cluster").json("{}"),
            List.of("GET"));
    allowed.forEach(
        (row, methods) -> {
          Answer answer = row.send();
          assertThat(answer.status).as(row.name).isEqualTo(405);
          assertThat(answer.header("allow")).as(row.name + " " + answer.headers).isNotNull();
          assertThat(answer.header("allow").split(",\\s*"))
              .as(row.name)
              .containsExactlyInAnyOrderElementsOf(methods);
        });
  }

  private static void assertProblem(Bad row, Answer answer) {
    String seen = row.name + " -> " + answer.status + " " + answer.headers + " " + answer.body;

    assertThat(answer.status).as(seen).isEqualTo(row.status);
    assertThat(answer.header("content-type")).as(seen).isEqualTo("application/problem+json");
    JsonNode problem = json(answer.body, seen);
    assertThat(problem.isObject()).as(seen).isTrue();
    assertThat(problem.path("type").asText()).as(seen).isEqualTo("/problems/" + row.type);
    assertThat(problem.path("title").asText()).as(seen).isNotBlank();
    assertThat(problem.path("status").isInt()).as(seen).isTrue();
    assertThat(problem.path("status").asInt()).as(seen).isEqualTo(row.status);
    assertThat(problem.path("detail").isTextual()).as(seen).isTrue();
    assertThat(problem.path("detail").asText()).as(seen).isNotBlank();
    assertThat(answer.body).as(seen).doesNotContain("at io.", "Exception", "java.lang", "\tat ");
    if (row.status == 401) {
      assertThat(answer.header("www-authenticate")).as(seen).isNotNull().startsWith("Bearer");
    }
    if (row.guarded) {
      assertThat(answer.body + answer.headers).as(seen).doesNotContain(TOKEN);
    }
  }

  @Order(1)
  @Test
  void a_key_with_an_unencoded_pipe_is_told_to_percent_encode_it() {
    for (String suffix : List.of("", "/ticks")) {
      Bad row =
          bad("GET with an unencoded |" + suffix)
              .get(STREAMS + "/type:swing|ids:1,2" + suffix)
              .raw()
              .expect(400, "malformed-request");
      String detail = detail(row);
      assertThat(detail)
          .as(row.name)
          .contains("percent-encode", "'|' as %7C", "%3A", "%2C")
          .contains("e.g. /api/v1/streams/type%3Aswing%7Cids%3A1%2C2" + suffix);

      // The path the detail gives is one the server reads.
      HttpResponse<String> encoded = open.get(STREAMS + "/type%3Aswing%7Cids%3A1%2C2" + suffix);
      assertThat(encoded.statusCode()).as(encoded.body()).isEqualTo(404);
      assertThat(json(encoded.body(), encoded.body()).path("type").asText())
          .isEqualTo("/problems/stream-not-found");
    }

    // A path that is no stream's gets the general example.
    String elsewhere = detail(bad("GET /a|b").get("/a|b").raw().expect(400, "malformed-request"));
    assertThat(elsewhere).contains("%7C", "e.g. " + ProblemParsingErrorHandler.EXAMPLE);

    String inQuery =
        detail(
            bad("unencoded | in a query")
                .get("/screeners/websocket/status?screener_type=swing&instrument_ids=1|2")
                .raw()
                .expect(400, "malformed-request"));
    assertThat(inQuery).contains("query", "%7C");
  }

  @Order(1)
  @Test
  void other_parse_errors_keep_the_parsers_own_words() {
    assertThat(
            detail(
                bad("bad percent-encoding")
                    .get(STREAMS + "/%zz")
                    .raw()
                    .expect(400, "malformed-request")))
        .isEqualTo(
            "Illegal request-target: Invalid input 'z', expected HEXDIG (line 1, column 18)");
    assertThat(
            detail(
                bad("unencoded { in a path")
                    .get(STREAMS + "/{key}")
                    .raw()
                    .expect(400, "malformed-request")))
        .startsWith("Illegal request-target: Invalid input '{'")
        .doesNotContain("%7C");
  }

  @Order(1)
  @Test
  void unencoded_brackets_in_a_query_are_told_how_to_encode_them() {
    String detail =
        detail(
            bad("instrument_ids[] in a query")
                .get("/screeners/websocket/status?screener_type=swing&instrument_ids[]=1")
                .raw()
                .expect(400, "malformed-request"));
    assertThat(detail).contains("'[' as %5B", "']' as %5D", "instrument_ids%5B%5D=1");
  }

  @Order(1)
  @Test
  void malformed_json_is_refused_with_its_line_column_and_field() {
    String truncated =
        detail(
            bad("truncated start")
                .post(STREAMS)
                .json("{\"screenerType\":\"swing\",\"instruments\":[1,")
                .expect(400, "bad-request"));
    assertThat(truncated)
        .contains("not valid JSON", "line 1, column 42", "instruments[1]", "ends before");

    String twoLines =
        detail(
            bad("stray } on line 2")
                .post(STREAMS)
                .json("{\"screenerType\":\"swing\",\n \"instruments\":[1,2,}")
                .expect(400, "bad-request"));
    assertThat(twoLines).contains("line 2, column 21", "instruments[2]", "unexpected '}'");
    assertThat(twoLines).doesNotContain("swing");

    String unquoted =
        detail(
            bad("an unquoted word")
                .post(STREAMS)
                .json("{\"screenerType\":swingtrader2026,\"instruments\":[1]}")
                .expect(400, "bad-request"));
    assertThat(unquoted)
        .contains("line 1, column", "in screenerType", "double quotes")
        .doesNotContain("swingtrader2026");

    String trailing =
        detail(
            bad("more after the object")
                .post(STREAMS)
                .json(VALID + "\n{}")
                .expect(400, "bad-request"));
    assertThat(trailing).contains("line 1, column " + (VALID.length() + 1), "more follows");

    String deep =
        detail(
            bad("nested too deeply")
                .post(STREAMS)
                .json(start("\"swing\"", "[".repeat(1_500)))
                .expect(400, "bad-request"));
    assertThat(deep).contains("not valid JSON", "nested too deeply");

    String screener =
        detail(
            bad("screener JSON cut short")
                .post("/screeners/ltp/start")
                .json("{\"screener_type\":")
                .expect(400, "bad-request"));
    assertThat(screener).contains("line 1, column 18", "screener_type");

    // Broker credentials: where, but never the (token) text.
    String credentials =
        detail(
            bad("credentials with an unquoted token")
                .guarded()
                .method("PUT", "/api/v1/broker/credentials")
                .header("Authorization: Bearer " + TOKEN)
                .json("{\"accessToken\": eyJhbGciOiJIUzI1NiJ9.c2VjcmV0}")
                .expect(400, "bad-request"));
    assertThat(credentials)
        .contains("line 1, column", "accessToken")
        .doesNotContain("eyJ", "c2VjcmV0");

    for (String detail :
        List.of(truncated, twoLines, unquoted, trailing, deep, screener, credentials)) {
      assertThat(detail)
          .doesNotContain("Exception", "java.", "com.fasterxml", "Jackson", "Source", "`");
    }
  }

  @Order(1)
  @Test
  void a_field_of_the_wrong_type_is_named_by_its_path() {
    String item =
        detail(
            bad("an object among the instruments")
                .post(STREAMS)
                .json(start("\"swing\"", "[1,2,{\"id\":\"x\"}]"))
                .expect(400, "invalid-stream-key"));
    assertThat(item).contains("instruments[2]", "an object").doesNotContain("\"id\"");

    assertThat(
            detail(
                bad("a fraction among the instruments")
                    .post(STREAMS)
                    .json(start("\"swing\"", "[1,1.5]"))
                    .expect(400, "invalid-stream-key")))
        .contains("instruments[1]", "fraction");
    assertThat(
            detail(
                bad("screenerType a number")
                    .post(STREAMS)
                    .json(start("7", "[1]"))
                    .expect(400, "bad-request")))
        .contains("screenerType", "a number");
    assertThat(
            detail(
                bad("instruments a string")
                    .post(STREAMS)
                    .json(start("\"swing\"", "\"1,2\""))
                    .expect(400, "bad-request")))
        .contains("instruments", "not a string");
    assertThat(
            detail(
                bad("screener instrument_ids with an array inside")
                    .post("/screeners/ltp/start")
                    .json("{\"screener_type\":\"swing\",\"instrument_ids\":[1,2,[3]]}")
                    .expect(400, "invalid-stream-key")))
        .contains("instrument_ids[2]", "an array");
  }

  /** The detail of a row's problem, after checking the problem as the table does. */
  private static String detail(Bad row) {
    Answer answer = row.send();
    assertProblem(row, answer);
    return json(answer.body, answer.body).path("detail").asText();
  }

  @Order(2)
  @Test
  void reading_needs_no_token_even_when_one_is_set() {
    HttpResponse<String> streams = guarded.get(STREAMS);
    assertThat(streams.statusCode()).isEqualTo(200);
    assertThat(streams.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(json(streams.body(), streams.body()).has("streams")).isTrue();

    HttpResponse<String> status =
        guarded.get("/screeners/websocket/status?screener_type=swing&instrument_ids=1,2,3");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(json(status.body(), status.body()).get("status").asText()).isEqualTo("not_running");
  }

  @Order(3)
  @Test
  void no_bad_request_left_a_stream_or_a_feed_connection_behind() {
    for (ApiServer server : List.of(open, guarded)) {
      var stats = server.simulator.state().stats();
      assertThat(stats.connectionsOpen()).as("open feed connections").isZero();
      assertThat(stats.connectionsOpened()).as("feed connections ever opened").isZero();
      assertThat(server.simulator.state().connections()).isEmpty();

      HttpResponse<String> listing = server.get(STREAMS);
      assertThat(listing.statusCode()).isEqualTo(200);
      JsonNode body = json(listing.body(), listing.body());
      assertThat(body.get("streams")).as(listing.body()).isEmpty();
      assertThat(body.get("counts").get("total").asInt()).as(listing.body()).isZero();
    }
  }

  // ---- rows ------------------------------------------------------------------------------------

  private static Bad bad(String name) {
    return new Bad(name);
  }

  private static String start(String screenerType, String instruments) {
    return "{\"screenerType\":" + screenerType + ",\"instruments\":" + instruments + "}";
  }

  private static String ids(IntStream ids) {
    return ids.mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
  }

  /** A start body of about 1 MiB: a valid shape, far over the 256 KiB limit. */
  private static String hugeJson() {
    return start("\"big\"", "[" + "1,".repeat(ONE_MIB / 2) + "1]");
  }

  /** One bad request and the problem it must get. */
  static final class Bad {
    final String name;
    boolean guarded;
    boolean raw;
    String method = "GET";
    String path;
    final List<String> headers = new ArrayList<>();
    byte[] body;
    int status;
    String type;

    Bad(String name) {
      this.name = name;
    }

    Bad guarded() {
      guarded = true;
      return this;
    }

    /** Over a plain socket: for what {@link java.net.http.HttpClient} will not send. */
    Bad raw() {
      raw = true;
      return this;
    }

    Bad method(String method, String path) {
      this.method = method;
      this.path = path;
      return this;
    }

    Bad get(String path) {
      return method("GET", path);
    }

    Bad post(String path) {
      return method("POST", path);
    }

    Bad delete(String path) {
      return method("DELETE", path);
    }

    Bad header(String header) {
      headers.add(header);
      return this;
    }

    Bad json(String json) {
      return body(JSON, json);
    }

    /** A body with its Content-Type header line, or none when {@code contentType} is null. */
    Bad body(String contentType, String text) {
      if (contentType != null) {
        headers.add(contentType);
      }
      body = text.getBytes(StandardCharsets.UTF_8);
      return this;
    }

    Bad expect(int status, String type) {
      this.status = status;
      this.type = type;
      return this;
    }

    Answer send() {
      ApiServer server = guarded ? BadRequestsTest.guarded : open;
      if (raw) {
        RawHttp.Answer answer = RawHttp.send(server.base, method, path, headers, body);
        return new Answer(answer.status(), answer.headers(), answer.body());
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(server.uri(path))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      for (String header : headers) {
        int colon = header.indexOf(':');
        request.header(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
      }
      HttpResponse<String> response = server.send(request);
      Map<String, String> answerHeaders = new TreeMap<>();
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> answerHeaders.put(name.toLowerCase(Locale.ROOT), values.get(0)));
      return new Answer(response.statusCode(), answerHeaders, response.body());
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** Status, headers (lower-case names, first value) and body, however the request was sent. */
  record Answer(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name);
    }
  }
}
