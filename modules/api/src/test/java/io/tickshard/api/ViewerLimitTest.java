package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.HeldConnections.Held;
import io.tickshard.api.testkit.ApiPaths;
import io.tickshard.api.testkit.ApiServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node serves at most {@code max-sse-viewers} tick viewers, and REST keeps answering when they
 * are all taken; every viewer gives its seat back however it leaves. A connection that does not
 * send a complete request head within {@code header-timeout} is closed.
 */
class ViewerLimitTest {
  private static final int LIMIT = 50;
  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration KEEP_ALIVE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String KEY = "type:seats|ids:1,2";
  private static ApiServer server;

  @BeforeAll
  static void start() {
    server =
        ApiServer.start(
            Map.of(
                "tickshard.api.max-sse-viewers",
                LIMIT,
                "tickshard.http.header-timeout",
                HEADER_TIMEOUT.toMillis() + "ms",
                "tickshard.http.keep-alive-timeout",
                KEEP_ALIVE_TIMEOUT.toMillis() + "ms"));
    assertThat(
            server
                .postJson(ApiPaths.STREAMS, "{\"screenerType\":\"seats\",\"instruments\":[1,2]}")
                .statusCode())
        .isEqualTo(201);
    await()
        .atMost(WAIT)
        .until(
            () ->
                json(server.get(ApiPaths.stream(KEY)).body())
                    .path("status")
                    .asText()
                    .equals("running"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void noViewerIsLeftFromAnotherScenario() {
    await().atMost(WAIT).until(() -> server.openViewers() == 0);
  }

  private static String ticks() {
    return ApiPaths.stream(KEY) + "/ticks";
  }

  private static List<Held> openViewers(HeldConnections connections, int count) {
    return connections.open(
        count, HeldConnections.get(ticks(), "Accept: text/event-stream"), 25, WAIT);
  }

  @Test
  void a_viewer_over_the_limit_gets_503_while_rest_answers_and_closed_seats_come_back() {
    try (HeldConnections connections = new HeldConnections(server.base)) {
      List<Held> viewers = openViewers(connections, LIMIT);
      assertThat(viewers).extracting(Held::status).containsOnly(200);
      assertThat(server.openViewers()).isEqualTo(LIMIT);

      RawHttp.Answer refused =
          RawHttp.send(server.base, "GET", ticks(), List.of("Accept: text/event-stream"), null);
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("content-type")).startsWith("application/problem+json");
      JsonNode problem = json(refused.body());
      assertThat(problem.get("type").asText()).isEqualTo("/problems/too-many-viewers");
      assertThat(problem.get("detail").asText())
          .contains(String.valueOf(LIMIT))
          .contains("tickshard.api.max-sse-viewers")
          .contains("TICKSHARD_MAX_SSE_VIEWERS");
      assertThat(problem.get("limit").asInt()).isEqualTo(LIMIT);

      // Viewers need no token; REST calls still find room.
      assertThat(server.get(ApiPaths.STREAMS).statusCode()).isEqualTo(200);
      assertThat(
              server
                  .postJson(ApiPaths.STREAMS, "{\"screenerType\":\"seats\",\"instruments\":[3]}")
                  .statusCode())
          .isEqualTo(201);

      // Held past the header timeout, a viewer is not cut: its response is still being sent.
      await()
          .during(HEADER_TIMEOUT.plusSeconds(1))
          .atMost(HEADER_TIMEOUT.plusSeconds(5))
          .until(
              () -> viewers.stream().noneMatch(v -> HeldConnections.closedByServer(v.channel())));
      assertThat(server.openViewers()).isEqualTo(LIMIT);

      viewers.forEach(v -> HeldConnections.hangUp(v.channel()));
      await().atMost(WAIT).until(() -> server.openViewers() == 0);

      List<Held> again = openViewers(connections, LIMIT);
      assertThat(again).extracting(Held::status).containsOnly(200);
      assertThat(server.openViewers()).isEqualTo(LIMIT);
      // Exactly once each: had a seat gone back twice, one more viewer would now get in.
      assertThat(RawHttp.send(server.base, "GET", ticks(), List.of(), null).status())
          .isEqualTo(503);
    }
    await().atMost(WAIT).until(() -> server.openViewers() == 0);
  }

  @Test
  void viewers_that_leave_before_their_answer_give_their_seats_back() throws IOException {
    byte[] request =
        HeldConnections.get(ticks(), "Accept: text/event-stream")
            .getBytes(StandardCharsets.US_ASCII);
    try (HeldConnections connections = new HeldConnections(server.base)) {
      for (int i = 0; i < LIMIT; i++) {
        SocketChannel channel = connections.connect();
        HeldConnections.writeFully(channel, ByteBuffer.wrap(request));
        HeldConnections.hangUp(channel);
      }
    }
    // Some were answered into a closed socket, some never got their response sent at all.
    await().atMost(WAIT).until(() -> server.openViewers() == 0);
    try (HeldConnections connections = new HeldConnections(server.base)) {
      assertThat(openViewers(connections, LIMIT)).extracting(Held::status).containsOnly(200);
    }
  }

  @Test
  void a_request_head_trickling_in_is_cut_off_after_the_header_timeout() throws Exception {
    byte[] head = HeldConnections.get(ApiPaths.STREAMS).getBytes(StandardCharsets.US_ASCII);
    ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    try (HeldConnections connections = new HeldConnections(server.base)) {
      SocketChannel slow = connections.connect();
      long opened = System.nanoTime();
      AtomicInteger sent = new AtomicInteger();
      // One byte every 500 ms: traffic enough for any idle timeout, never a complete head.
      pacer.scheduleAtFixedRate(
          () -> {
            try {
              HeldConnections.writeFully(slow, ByteBuffer.wrap(head, sent.getAndIncrement(), 1));
            } catch (IOException | IndexOutOfBoundsException closed) {
              // The server closed it: the point of the scenario.
            }
          },
          0,
          500,
          TimeUnit.MILLISECONDS);
      await()
          .atMost(HEADER_TIMEOUT.plusSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> HeldConnections.closedByServer(slow));
      Duration took = Duration.ofNanos(System.nanoTime() - opened);
      assertThat(took).isBetween(HEADER_TIMEOUT.minusMillis(200), HEADER_TIMEOUT.plusSeconds(3));
      assertThat(sent.get()).isLessThan(head.length);

      // A kept-alive connection idle after its answer outlives the header timeout, and is closed
      // after the keep-alive timeout.
      SocketChannel idle = connections.connect();
      HeldConnections.writeFully(idle, ByteBuffer.wrap(head));
      long answered = System.nanoTime();
      await()
          .atMost(KEEP_ALIVE_TIMEOUT.plusSeconds(5))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> HeldConnections.closedByServer(idle));
      assertThat(Duration.ofNanos(System.nanoTime() - answered))
          .isBetween(KEEP_ALIVE_TIMEOUT.minusMillis(200), KEEP_ALIVE_TIMEOUT.plusSeconds(3));
    } finally {
      pacer.shutdownNow();
    }
  }
}
