package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.testkit.ApiPaths;
import io.tickshard.api.testkit.ApiServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code GET /api/v1/upstream} over real HTTP: in shared mode the keys' instruments ride on one
 * broker socket, each subscribed once in the highest mode a key needs, and a key whose new
 * instruments do not fit is refused with 429; in the dedicated policy every running stream is a
 * socket slot of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpstreamApiTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String QUOTE_KEY = "type:overlap|ids:1333,2885,11536";
  private static final String FULL_KEY = "type:depth|ids:1594,11536";

  /** Shared mode, one broker connection: 5,000 instruments in all. */
  private static ApiServer server;

  @BeforeAll
  static void start() {
    server =
        ApiServer.start(
            Map.of(
                "tickshard.upstream.sharing", "shared",
                "tickshard.budget.max-connections", 1,
                "tickshard.upstream.unsubscribe-grace", "1s",
                // The status of a key of thousands of instruments is a long URL.
                "pekko.http.server.parsing.max-uri-length", "64k"),
            1);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  @Order(1)
  void overlapping_keys_ride_on_one_socket_each_instrument_once_in_its_highest_mode() {
    assertThat(
            server
                .postJson(
                    "/api/v1/streams",
                    "{\"screenerType\":\"overlap\",\"instruments\":[1333,2885,11536]}")
                .statusCode())
        .isEqualTo(201);
    assertThat(
            server
                .postJson(
                    "/api/v1/streams",
                    "{\"screenerType\":\"depth\",\"instruments\":[11536,1594],\"mode\":\"full\"}")
                .statusCode())
        .isEqualTo(201);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              HttpResponse<String> response = server.get("/api/v1/upstream");
              assertThat(response.statusCode()).isEqualTo(200);
              assertThat(response.headers().firstValue("content-type"))
                  .hasValue("application/json");
              JsonNode upstream = json(response);
              assertThat(upstream.get("sharing").asText()).isEqualTo("shared");
              assertThat(upstream.get("budget").asInt()).isEqualTo(1);
              assertThat(upstream.get("socketsInUse").asInt()).isEqualTo(1);
              assertThat(upstream.get("instrumentsInUse").asInt()).isEqualTo(4);
              assertThat(upstream.get("capacity").asInt()).isEqualTo(5000);
              assertThat(upstream.get("complete").asBoolean()).isTrue();
              assertThat(upstream.get("sockets").size()).isEqualTo(1);
              JsonNode socket = upstream.get("sockets").get(0);
              assertThat(socket.get("id").asText()).isEqualTo("slot-0");
              assertThat(socket.get("state").asText()).isEqualTo("connected");
              assertThat(socket.get("node").asText()).startsWith("127.0.0.1:");
              assertThat(socket.get("connectedAt").isNull()).isFalse();
              assertThat(socket.get("instruments"))
                  .isEqualTo(json("{\"ticker\":0,\"quote\":2,\"full\":2}"));
              assertThat(socket.get("carried").asInt()).isEqualTo(4);
              assertThat(socket.get("roomLeft").asInt()).isEqualTo(4996);
              assertThat(socket.get("keys").asInt()).isEqualTo(2);
              assertThat(socket.get("reconnects").asInt()).isZero();
              assertThat(socket.has("lastError")).isTrue();
            });

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode status = json(server.get(ApiPaths.stream(QUOTE_KEY)));
              assertThat(status.get("status").asText()).isEqualTo("running");
              assertThat(status.get("sockets")).isEqualTo(json("[\"slot-0\"]"));
            });
    assertThat(json(server.get(ApiPaths.stream(FULL_KEY))).get("sockets"))
        .isEqualTo(json("[\"slot-0\"]"));
    // One socket for both keys.
    assertThat(server.simulator.state().stats().connectionsOpened()).isEqualTo(1);
  }

  @Test
  @Order(2)
  void a_key_whose_new_instruments_do_not_fit_is_429_and_starts_nothing() {
    String first = ids(100_001, 3000);
    String second = ids(200_001, 3000);
    assertThat(
            server
                .postJson(
                    "/api/v1/streams", "{\"screenerType\":\"big\",\"instruments\":[" + first + "]}")
                .statusCode())
        .isEqualTo(201);

    HttpResponse<String> refused =
        server.postJson(
            "/api/v1/streams", "{\"screenerType\":\"bigger\",\"instruments\":[" + second + "]}");

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode problem = json(refused);
    String refusedKey = "type:bigger|ids:" + second;
    assertThat(problem.get("type").asText()).isEqualTo("/problems/budget-exhausted");
    assertThat(problem.get("status").asInt()).isEqualTo(429);
    assertThat(problem.get("key").asText()).isEqualTo(refusedKey);
    assertThat(problem.get("needed").asInt()).isEqualTo(3000);
    assertThat(problem.get("inUse").asInt()).isEqualTo(3004);
    assertThat(problem.get("capacity").asInt()).isEqualTo(5000);
    assertThat(problem.get("detail").asText())
        .contains("3000 new instruments", "3004 of 5000 instruments in use")
        .hasSizeLessThan(300);

    HttpResponse<String> status = server.get(ApiPaths.stream(refusedKey));
    assertThat(status.statusCode()).isEqualTo(404);
    assertThat(json(status).get("type").asText()).isEqualTo("/problems/stream-not-found");
    JsonNode upstream = json(server.get("/api/v1/upstream"));
    assertThat(upstream.get("instrumentsInUse").asInt()).isEqualTo(3004);
    assertThat(upstream.get("socketsInUse").asInt()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void in_the_dedicated_policy_every_running_stream_is_a_socket_slot_of_its_own() {
    try (ApiServer dedicated =
        ApiServer.start(
            Map.of(
                "tickshard.upstream.sharing", "dedicated", "tickshard.budget.max-connections", 5),
            1)) {
      for (String body :
          new String[] {
            "{\"screenerType\":\"alone\",\"instruments\":[1333,2885]}",
            "{\"screenerType\":\"apart\",\"instruments\":[2885],\"mode\":\"full\"}"
          }) {
        assertThat(dedicated.postJson("/api/v1/streams", body).statusCode()).isEqualTo(201);
      }

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                JsonNode upstream = json(dedicated.get("/api/v1/upstream"));
                assertThat(upstream.get("sharing").asText()).isEqualTo("dedicated");
                assertThat(upstream.get("budget").asInt()).isEqualTo(5);
                assertThat(upstream.get("socketsInUse").asInt()).isEqualTo(2);
                assertThat(upstream.get("instrumentsInUse").asInt()).isEqualTo(3);
                assertThat(upstream.get("capacity").asInt()).isEqualTo(25_000);
                JsonNode sockets = upstream.get("sockets");
                assertThat(sockets.size()).isEqualTo(2);
                for (JsonNode socket : sockets) {
                  assertThat(socket.get("state").asText()).isEqualTo("connected");
                  assertThat(socket.get("keys").asInt()).isEqualTo(1);
                  assertThat(socket.get("instruments").size()).isEqualTo(3);
                }
                assertThat(sockets.findValuesAsText("carried")).containsExactlyInAnyOrder("2", "1");
                assertThat(sockets.findValuesAsText("id"))
                    .containsExactlyInAnyOrder("slot-0", "slot-1");
              });
      // Each stream names its own slot; 2885 rides on both, once for each key.
      JsonNode alone = json(dedicated.get(ApiPaths.stream("type:alone|ids:1333,2885")));
      JsonNode apart = json(dedicated.get(ApiPaths.stream("type:apart|ids:2885")));
      assertThat(alone.get("sockets").size()).isEqualTo(1);
      assertThat(apart.get("sockets").size()).isEqualTo(1);
      assertThat(alone.get("sockets").get(0).asText())
          .isNotEqualTo(apart.get("sockets").get(0).asText());
    }
  }

  /** {@code count} consecutive security ids from {@code from}, as a JSON array's items. */
  private static String ids(int from, int count) {
    return IntStream.range(from, from + count)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(","));
  }
}
