package io.tickshard.api;

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
  void starts_answer_503_streaming_disabled_and_open_nothing() throws Exception {
    HttpResponse<String> refused =
        server.postJson("/api/v1/streams", "{\"screenerType\":\"off\",\"instruments\":[1]}");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(ApiJson.MAPPER.readTree(refused.body()).get("type").asText())
        .isEqualTo("/problems/streaming-disabled");
    assertThat(ApiJson.MAPPER.readTree(refused.body()).get("detail").asText())
        .contains("DHANHQ_WS_ENABLED");
    assertThat(
            server
                .send(
                    java.net.http.HttpRequest.newBuilder(server.uri("/screeners/ltp/start"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(
                            java.net.http.HttpRequest.BodyPublishers.ofString(
                                "screener_type=off&instrument_ids=1")))
                .statusCode())
        .isEqualTo(503);
    assertThat(server.get("/api/v1/streams").statusCode()).isEqualTo(200);
    assertThat(server.simulator.state().stats().connectionsOpened()).isZero();
  }
}
