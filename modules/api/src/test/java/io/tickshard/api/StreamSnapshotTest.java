package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.testkit.ApiPaths;
import io.tickshard.api.testkit.ApiServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The polling fallback: {@code GET /api/v1/streams/{key}/snapshot} answers the running stream's
 * latest values with an ETag, 304 when nothing is new, and opens nothing upstream.
 */
class StreamSnapshotTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static ApiServer server;

  @BeforeAll
  static void start() {
    server = ApiServer.start(Map.of(), 20);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String startRunning(String screener, String instruments) {
    String body = "{\"screenerType\":\"" + screener + "\",\"instruments\":[" + instruments + "]}";
    HttpResponse<String> started = server.postJson("/api/v1/streams", body);
    assertThat(started.statusCode()).isIn(200, 201);
    String key = json(started.body()).get("key").asText();
    await()
        .atMost(WAIT)
        .until(
            () -> json(server.get(ApiPaths.stream(key)).body()).path("status").asText(),
            "running"::equals);
    return key;
  }

  private static HttpResponse<String> poll(String key, String etag) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri(ApiPaths.stream(key) + "/snapshot")).GET();
    if (etag != null) {
      request.header("If-None-Match", etag);
    }
    return server.send(request);
  }

  @Test
  void a_poll_gets_the_latest_values_and_a_tag_that_moves_with_them() {
    String key = startRunning("poll", "\"1333\",\"2885\"");
    await().atMost(WAIT).until(() -> json(poll(key, null).body()).path("ticks").size() == 2);

    HttpResponse<String> first = poll(key, null);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    JsonNode body = json(first.body());
    assertThat(body.get("key").asText()).isEqualTo(key);
    assertThat(body.get("status").asText()).isEqualTo("running");
    assertThat(body.get("ticks").findValuesAsText("securityId")).containsExactly("1333", "2885");
    assertThat(body.get("ticks").get(0).has("ltp")).isTrue();

    // Ticking at 20 a second per instrument: the next values come with another tag.
    await().atMost(WAIT).until(() -> poll(key, etag).statusCode() == 200);
    assertThat(poll(key, etag).headers().firstValue("ETag")).isNotEqualTo(Optional.of(etag));
  }

  @Test
  void nothing_new_is_a_304_without_a_body() {
    String key = startRunning("poll-quiet", "\"11536\"");
    await().atMost(WAIT).until(() -> json(poll(key, null).body()).path("ticks").size() == 1);
    long socket =
        server.simulator.state().connections().stream()
            .filter(c -> c.instruments().stream().anyMatch(i -> i.securityId() == 11536))
            .findFirst()
            .orElseThrow()
            .id();
    server.simulator.state().stall(Optional.of(socket), true);
    try {
      // Once the last ticks sent before the stall are in, two polls agree.
      AtomicReference<String> tag = new AtomicReference<>();
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                String before =
                    tag.getAndSet(poll(key, null).headers().firstValue("ETag").orElseThrow());
                return tag.get().equals(before);
              });
      HttpResponse<String> notModified = poll(key, tag.get());
      assertThat(notModified.statusCode()).isEqualTo(304);
      assertThat(notModified.body()).isEmpty();
      assertThat(notModified.headers().firstValue("ETag")).hasValue(tag.get());
    } finally {
      server.simulator.state().stall(Optional.of(socket), false);
    }
  }

  @Test
  void a_thousand_polls_open_no_socket_upstream() {
    String key = startRunning("poll-many", "\"4963\"");
    int sockets = server.simulator.state().connections().size();
    long opened = server.simulator.state().stats().connectionsOpened();
    for (int i = 0; i < 1_000; i++) {
      assertThat(poll(key, null).statusCode()).isEqualTo(200);
    }
    assertThat(server.simulator.state().connections()).hasSize(sockets);
    assertThat(server.simulator.state().stats().connectionsOpened()).isEqualTo(opened);
  }

  @Test
  void a_stopped_or_unknown_stream_is_404_and_a_bad_key_400() {
    String key = startRunning("poll-stop", "\"3045\"");
    assertThat(server.delete(ApiPaths.stream(key)).statusCode()).isEqualTo(200);

    HttpResponse<String> stopped = poll(key, null);
    assertThat(stopped.statusCode()).isEqualTo(404);
    assertThat(stopped.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(stopped.body()).get("type").asText()).endsWith("/problems/stream-not-running");

    HttpResponse<String> unknown = poll("type:poll-never|ids:77", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json(unknown.body()).get("type").asText()).endsWith("/problems/stream-not-found");

    HttpResponse<String> bad = server.get(ApiPaths.STREAMS + "/" + "not-a-key" + "/snapshot");
    assertThat(bad.statusCode()).isEqualTo(400);
  }
}
