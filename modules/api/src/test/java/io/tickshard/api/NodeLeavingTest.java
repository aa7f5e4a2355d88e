package io.tickshard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickshard.api.testkit.ApiPaths;
import io.tickshard.api.testkit.ApiServer;
import io.tickshard.streams.NodeName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.junit.jupiter.api.Test;

/**
 * A node shutting down (a roll, a scale-in, SIGTERM) tells its tick viewers: each stream ends with
 * a {@code leaving} event carrying a {@code retry:} hint, so EventSource reconnects, elsewhere,
 * soon; and the node's shutdown completes. Its own node, as it is shut down for good.
 */
class NodeLeavingTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void a_node_shutting_down_ends_each_viewer_with_a_leaving_event_and_a_retry_hint()
      throws Exception {
    try (ApiServer server = ApiServer.start(Map.of("tickshard.api.sse-leaving-retry", "400ms"))) {
      server.terminateOnShutdown(Duration.ofSeconds(10));
      String body = "{\"screenerType\":\"leaving\",\"instruments\":[\"1333\",\"2885\"]}";
      assertThat(server.postJson("/api/v1/streams", body).statusCode()).isIn(200, 201);
      String key = "type:leaving|ids:1333,2885";
      List<SseClient> viewers =
          List.of(
              new SseClient(server.uri(ApiPaths.stream(key) + "/ticks")),
              new SseClient(server.uri(ApiPaths.stream(key) + "/ticks")));
      try {
        for (SseClient viewer : viewers) {
          await().atMost(WAIT).until(() -> !viewer.named("tick").isEmpty());
        }

        CoordinatedShutdown.get(server.kit.system())
            .runAll(CoordinatedShutdown.unknownReason())
            .toCompletableFuture()
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);

        for (SseClient viewer : viewers) {
          await().atMost(WAIT).until(viewer.ended::isDone);
          SseClient.Event last = viewer.events.get(viewer.events.size() - 1);
          assertThat(last.name()).isEqualTo("leaving");
          assertThat(Long.parseLong(last.retry())).isBetween(100L, 400L);
          JsonNode data = JSON.readTree(last.data());
          assertThat(data.get("reason").asText()).isEqualTo("node shutting down");
          assertThat(data.get("node").asText()).isEqualTo(NodeName.of(server.kit.system()));
          assertThat(data.has("at")).isTrue();
          assertThat(viewer.named("leaving")).hasSize(1);
          assertThat(viewer.named("stopped")).isEmpty();
        }
      } finally {
        viewers.forEach(SseClient::close);
      }
    }
  }
}
