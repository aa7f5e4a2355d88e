package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.testkit.ApiServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A start beyond the broker connection budget is refused with 429, naming who holds the slots. */
class BudgetApiTest {
  private static ApiServer server;

  @BeforeAll
  static void start() {
    // The dedicated placement policy: a socket per key, so one key holds the whole budget.
    server =
        ApiServer.start(
            Map.of(
                "tickshard.budget.max-connections", 1, "tickshard.upstream.sharing", "dedicated"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void a_start_over_the_budget_is_429_naming_the_holder_and_opens_no_socket() {
    assertThat(
            server
                .postJson("/api/v1/streams", "{\"screenerType\":\"holder\",\"instruments\":[1]}")
                .statusCode())
        .isEqualTo(201);

    HttpResponse<String> refused =
        server.postJson("/api/v1/streams", "{\"screenerType\":\"late\",\"instruments\":[2]}");

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode problem = json(refused);
    assertThat(problem.get("type").asText()).isEqualTo("/problems/budget-exhausted");
    assertThat(problem.get("holders").toString()).contains("type:holder|ids:1");
    assertThat(problem.get("budget").asInt()).isEqualTo(1);
    assertThat(server.simulator.state().stats().connectionsOpened()).isEqualTo(1);

    HttpResponse<String> screener =
        server.postForm("/screeners/ltp/start", "screener_type=late&instrument_ids=3");
    assertThat(screener.statusCode()).isEqualTo(429);
  }
}
