package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.api.testkit.ApiServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DHANHQ_WS_ENABLED=false: starts are refused with a clear 503; reading still works. */
class StreamingDisabledTest {
  private static ApiServer server;

  @BeforeAll
  static void start() {
    server = ApiServer.start(Map.of("tickshard.api.streaming-enabled", false));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void starts_answer_503_streaming_disabled_and_open_nothing() {
    HttpResponse<String> refused =
        server.postJson("/api/v1/streams", "{\"screenerType\":\"off\",\"instruments\":[1]}");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(json(refused).get("type").asText()).isEqualTo("/problems/streaming-disabled");
    assertThat(json(refused).get("detail").asText()).contains("DHANHQ_WS_ENABLED");
    assertThat(
            server
                .postForm("/screeners/ltp/start", "screener_type=off&instrument_ids=1")
                .statusCode())
        .isEqualTo(503);
    assertThat(server.get("/api/v1/streams").statusCode()).isEqualTo(200);
    assertThat(server.simulator.state().stats().connectionsOpened()).isZero();
  }
}
