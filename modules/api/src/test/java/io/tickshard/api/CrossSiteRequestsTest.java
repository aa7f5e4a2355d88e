package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.testkit.ApiPaths;
import io.tickshard.api.testkit.ApiServer;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With no API token, a page on another site cannot change streams (issue 11, point 7): the forms
 * and {@code text/plain} posts a browser sends cross-site without a preflight are refused with 403
 * {@code cross-origin} (or 415), and start or stop nothing. This server's own pages, pages on a
 * listed origin and clients that are not browsers keep working. And CORS (issue 26): a listed
 * origin's pages read across origins, and change streams only with the token; an unlisted one gets
 * no CORS headers and its preflights are refused. Over real HTTP.
 */
class CrossSiteRequestsTest {
  private static final String EVIL = "http://evil.example";
  private static final String LISTED = "http://screener.example:3000";
  private static final String START = "/screeners/ltp/start";
  private static final String STOP = "/screeners/ltp/stop";
  private static final String STOP_ALL = ApiPaths.STREAMS + "/stop-all";
  private static final Duration WAIT = Duration.ofSeconds(15);

  /** No token; {@link #LISTED} trusted. */
  private static ApiServer open;

  /** A token configured (the origin is not checked), and {@link #LISTED} trusted. */
  private static ApiServer guarded;

  @BeforeAll
  static void start() {
    open = ApiServer.start(Map.of("tickshard.api.allowed-origins", LISTED));
    guarded =
        ApiServer.start(
            Map.of("tickshard.api.token", "s3cret", "tickshard.api.allowed-origins", LISTED));
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

  @Test
  void a_form_posted_from_another_site_starts_nothing() {
    HttpResponse<String> answer =
        open.send(
            form(open, START, "screener_type=csrf&instrument_ids=41,42").header("Origin", EVIL));

    assertCrossOrigin(answer);
    assertThat(json(answer).get("detail").asText()).contains(EVIL);
    assertNeverStarted("type:csrf|ids:41,42");
    assertThat(open.simulator.state().connections())
        .as("no feed connection for 41, 42")
        .allSatisfy(
            connection ->
                assertThat(connection.instruments()).noneMatch(s -> s.securityId() == 41));
  }

  @Test
  void a_json_post_the_browser_marks_cross_site_or_same_site_is_refused_without_origin() {
    for (String site : List.of("cross-site", "same-site")) {
      HttpResponse<String> answer =
          open.send(
              jsonPost(open, ApiPaths.STREAMS, start("fetch", 43)).header("Sec-Fetch-Site", site));

      assertCrossOrigin(answer);
      assertThat(json(answer).get("detail").asText()).contains(site);
    }
    assertNeverStarted("type:fetch|ids:43");
  }

  @Test
  void origin_null_is_refused() {
    assertCrossOrigin(
        open.send(
            jsonPost(open, ApiPaths.STREAMS, start("sandboxed", 44)).header("Origin", "null")));
    assertCrossOrigin(
        open.send(
            form(open, START, "screener_type=sandboxed&instrument_ids=44")
                .header("Origin", "null")));
    assertNeverStarted("type:sandboxed|ids:44");
  }

  @Test
  void another_site_can_neither_stop_one_stream_nor_all_of_them() {
    String key = "type:victim|ids:45";
    assertThat(open.postJson(ApiPaths.STREAMS, start("victim", 45)).statusCode()).isEqualTo(201);

    assertCrossOrigin(
        open.send(request(open, ApiPaths.stream(key)).DELETE().header("Origin", EVIL)));
    assertCrossOrigin(
        open.send(
            form(open, STOP, "screener_type=victim&instrument_ids=45").header("Origin", EVIL)));
    assertCrossOrigin(
        open.send(
            request(open, STOP_ALL)
                .header("Origin", EVIL)
                .header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.noBody())));

    assertStillActive(key);
    open.delete(ApiPaths.stream(key));
  }

  @Test
  void stop_all_refuses_a_body_that_is_not_json_and_stops_nothing() {
    String key = "type:plain|ids:46";
    assertThat(open.postJson(ApiPaths.STREAMS, start("plain", 46)).statusCode()).isEqualTo(201);

    for (String type : List.of("text/plain", "application/x-www-form-urlencoded")) {
      HttpResponse<String> answer =
          open.send(
              request(open, STOP_ALL)
                  .header("Content-Type", type)
                  .POST(HttpRequest.BodyPublishers.ofString("stop=all")));

      assertThat(answer.statusCode()).as(type + ": " + answer.body()).isEqualTo(415);
      assertThat(answer.headers().firstValue("content-type")).hasValue("application/problem+json");
      assertThat(json(answer).get("type").asText()).isEqualTo("/problems/unsupported-media-type");
    }
    assertStillActive(key);

    // curl -X POST: no body at all is still a stop-all.
    HttpResponse<String> noBody =
        open.send(request(open, STOP_ALL).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(noBody.statusCode()).as(noBody.body()).isEqualTo(200);
    assertThat(json(noBody).get("keys")).as(noBody.body()).anyMatch(k -> k.asText().equals(key));
  }

  @Test
  void a_page_of_this_server_starts_and_stops_with_forms_and_json() {
    String self = selfOrigin(open);

    HttpResponse<String> started =
        open.send(
            form(open, START, "screener_type=own&instrument_ids=47")
                .header("Origin", self)
                .header("Sec-Fetch-Site", "same-origin"));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    assertThat(json(started).get("status").asText()).isEqualTo("started");

    HttpResponse<String> rest =
        open.send(
            jsonPost(open, ApiPaths.STREAMS, start("own", 48))
                .header("Origin", self)
                .header("Sec-Fetch-Site", "same-origin"));
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(201);

    HttpResponse<String> stopped =
        open.send(form(open, STOP, "screener_type=own&instrument_ids=47").header("Origin", self));
    assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
    assertThat(json(stopped).get("status").asText()).isEqualTo("stopped");

    HttpResponse<String> deleted =
        open.send(
            request(open, ApiPaths.stream("type:own|ids:48")).DELETE().header("Origin", self));
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
  }

  @Test
  void a_client_that_is_not_a_browser_sends_no_origin_and_passes() {
    HttpResponse<String> started = open.postForm(START, "screener_type=curl&instrument_ids=49");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    assertThat(json(started).get("status").asText()).isEqualTo("started");

    HttpResponse<String> stopped = open.postForm(STOP, "screener_type=curl&instrument_ids=49");
    assertThat(json(stopped).get("status").asText()).isEqualTo("stopped");
  }

  @Test
  void a_page_on_a_listed_origin_may_change_streams_from_its_own_site() {
    HttpResponse<String> started =
        open.send(
            form(open, START, "screener_type=listed&instrument_ids=50")
                .header("Origin", LISTED)
                .header("Sec-Fetch-Site", "cross-site"));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    assertThat(json(started).get("status").asText()).isEqualTo("started");

    // The same host on another port is another origin.
    assertCrossOrigin(
        open.send(
            form(open, STOP, "screener_type=listed&instrument_ids=50")
                .header("Origin", "http://screener.example:3001")));

    HttpResponse<String> stopped =
        open.send(
            form(open, STOP, "screener_type=listed&instrument_ids=50").header("Origin", LISTED));
    assertThat(json(stopped).get("status").asText()).isEqualTo("stopped");
  }

  @Test
  void with_a_token_set_the_token_decides_and_the_origin_is_not_checked() {
    HttpResponse<String> withoutToken =
        guarded.send(
            jsonPost(guarded, ApiPaths.STREAMS, start("tokened", 51)).header("Origin", EVIL));
    assertThat(withoutToken.statusCode()).as(withoutToken.body()).isEqualTo(401);

    HttpResponse<String> withToken =
        guarded.send(
            jsonPost(guarded, ApiPaths.STREAMS, start("tokened", 51))
                .header("Origin", EVIL)
                .header("Sec-Fetch-Site", "cross-site")
                .header("Authorization", "Bearer s3cret"));
    assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(201);
  }

  @Test
  void reads_from_another_site_are_not_refused() {
    HttpResponse<String> listing =
        open.send(
            request(open, ApiPaths.STREAMS)
                .GET()
                .header("Origin", EVIL)
                .header("Sec-Fetch-Site", "cross-site"));
    assertThat(listing.statusCode()).as(listing.body()).isEqualTo(200);
  }

  // ---- CORS: pages on a listed origin read, and with the token change
  // ----------------------------

  @Test
  void reads_from_a_listed_origin_carry_its_cors_headers_and_reads_from_others_none() {
    HttpResponse<String> listed =
        open.send(request(open, ApiPaths.STREAMS).GET().header("Origin", LISTED));
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.headers().firstValue("access-control-allow-origin")).hasValue(LISTED);
    assertThat(listed.headers().firstValue("access-control-expose-headers").orElseThrow())
        .contains("ETag");
    assertThat(listed.headers().allValues("vary")).anyMatch(v -> v.contains("Origin"));

    HttpResponse<String> other =
        open.send(request(open, ApiPaths.STREAMS).GET().header("Origin", EVIL));
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().firstValue("access-control-allow-origin"))
        .as("never * and never an unlisted origin")
        .isEmpty();
  }

  @Test
  void a_listed_origin_s_preflight_for_reads_is_granted_and_for_changes_only_with_a_token() {
    HttpResponse<String> read =
        open.send(
            preflight(open, "GET", LISTED)
                .header("Access-Control-Request-Headers", "last-event-id"));
    assertThat(read.statusCode()).as(read.body()).isEqualTo(204);
    assertThat(read.headers().firstValue("access-control-allow-origin")).hasValue(LISTED);
    assertThat(read.headers().firstValue("access-control-allow-methods").orElseThrow())
        .contains("GET")
        .doesNotContain("POST");
    assertThat(read.headers().firstValue("access-control-allow-headers").orElseThrow())
        .contains("Last-Event-ID");

    HttpResponse<String> changeWithoutToken = open.send(preflight(open, "POST", LISTED));
    assertCrossOrigin(changeWithoutToken);
    assertThat(json(changeWithoutToken).get("detail").asText()).contains("TICKSHARD_API_TOKEN");
    assertThat(changeWithoutToken.headers().firstValue("access-control-allow-origin")).isEmpty();

    HttpResponse<String> change =
        guarded.send(
            preflight(guarded, "POST", LISTED)
                .header("Access-Control-Request-Headers", "authorization,content-type"));
    assertThat(change.statusCode()).as(change.body()).isEqualTo(204);
    assertThat(change.headers().firstValue("access-control-allow-methods").orElseThrow())
        .contains("POST")
        .contains("DELETE");
    assertThat(change.headers().firstValue("access-control-allow-headers").orElseThrow())
        .contains("Authorization")
        .contains("Content-Type");
  }

  @Test
  void an_unlisted_origin_s_preflight_is_refused_with_a_problem() {
    for (ApiServer server : List.of(open, guarded)) {
      HttpResponse<String> answer = server.send(preflight(server, "GET", EVIL));
      assertCrossOriginProblem(answer);
      assertThat(json(answer).get("detail").asText())
          .contains(EVIL)
          .contains("TICKSHARD_API_ALLOWED_ORIGINS");
      assertThat(answer.headers().firstValue("access-control-allow-origin")).isEmpty();
    }
  }

  @Test
  void a_listed_page_with_the_token_starts_a_stream_reads_the_answer_and_its_ticks()
      throws Exception {
    HttpResponse<String> refused =
        guarded.send(
            jsonPost(guarded, ApiPaths.STREAMS, start("corsy", 52)).header("Origin", LISTED));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("access-control-allow-origin"))
        .as("the page can read why")
        .hasValue(LISTED);

    HttpResponse<String> started =
        guarded.send(
            jsonPost(guarded, ApiPaths.STREAMS, start("corsy", 52))
                .header("Origin", LISTED)
                .header("Authorization", "Bearer s3cret"));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    assertThat(started.headers().firstValue("access-control-allow-origin")).hasValue(LISTED);
    assertThat(started.headers().firstValue("access-control-expose-headers").orElseThrow())
        .contains("Location");

    String stream = ApiPaths.stream("type:corsy|ids:52");
    HttpResponse<InputStream> ticks =
        HttpClient.newHttpClient()
            .send(
                request(guarded, stream + "/ticks").GET().header("Origin", LISTED).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = ticks.body()) {
      assertThat(ticks.statusCode()).isEqualTo(200);
      assertThat(ticks.headers().firstValue("content-type").orElseThrow())
          .startsWith("text/event-stream");
      assertThat(ticks.headers().firstValue("access-control-allow-origin")).hasValue(LISTED);
    }
    HttpResponse<String> snapshot =
        guarded.send(request(guarded, stream + "/snapshot").GET().header("Origin", LISTED));
    assertThat(snapshot.headers().firstValue("access-control-allow-origin")).hasValue(LISTED);
    assertThat(snapshot.headers().firstValue("etag")).isPresent();
  }

  private static HttpRequest.Builder preflight(ApiServer server, String method, String origin) {
    return request(server, ApiPaths.STREAMS)
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static HttpRequest.Builder request(ApiServer server, String path) {
    return HttpRequest.newBuilder(server.uri(path));
  }

  private static HttpRequest.Builder form(ApiServer server, String path, String form) {
    return request(server, path)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
  }

  private static HttpRequest.Builder jsonPost(ApiServer server, String path, String json) {
    return request(server, path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  private static String start(String screenerType, int instrument) {
    return "{\"screenerType\":\"" + screenerType + "\",\"instruments\":[" + instrument + "]}";
  }

  /** The origin a page served by this server has: the base URI without its slash. */
  private static String selfOrigin(ApiServer server) {
    return "http://" + server.base.getHost() + ":" + server.base.getPort();
  }

  private static void assertCrossOrigin(HttpResponse<String> answer) {
    assertCrossOriginProblem(answer);
    assertThat(json(answer).get("detail").asText()).contains("TICKSHARD_API_TOKEN");
  }

  private static void assertCrossOriginProblem(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
    assertThat(answer.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode problem = json(answer);
    assertThat(problem.get("type").asText()).isEqualTo("/problems/cross-origin");
    assertThat(problem.get("status").asInt()).isEqualTo(403);
    assertThat(problem.get("title").asText()).isNotBlank();
  }

  private static void assertNeverStarted(String key) {
    HttpResponse<String> status = open.get(ApiPaths.stream(key));
    assertThat(status.statusCode()).as(status.body()).isEqualTo(404);
    assertThat(json(status).get("type").asText()).isEqualTo("/problems/stream-not-found");
    assertThat(json(open.get(ApiPaths.STREAMS)).get("streams"))
        .noneMatch(stream -> stream.get("key").asText().equals(key));
  }

  private static void assertStillActive(String key) {
    await()
        .during(Duration.ofMillis(300))
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(json(open.get(ApiPaths.stream(key))).get("status").asText())
                    .isIn("starting", "running", "reconnecting"));
  }
}
