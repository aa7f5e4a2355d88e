package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.testkit.ApiPaths;
import io.tickshard.api.testkit.ApiServer;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.TickBatch;
import io.tickshard.streams.ticks.ViewerTopics;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Live ticks over Server-Sent Events: a snapshot first, then updates; viewers do not slow each
 * other.
 */
class TickEventsTest {
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

  private static void startRunning(String screener, List<String> instruments, String mode) {
    String body =
        "{\"screenerType\":\""
            + screener
            + "\",\"instruments\":["
            + instruments.stream().map(i -> "\"" + i + "\"").collect(Collectors.joining(","))
            + "],\"mode\":\""
            + mode
            + "\"}";
    assertThat(server.postJson("/api/v1/streams", body).statusCode()).isIn(200, 201);
  }

  private static void awaitRunning(String key) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                json(server.get(ApiPaths.stream(key)).body())
                    .path("status")
                    .asText()
                    .equals("running"));
  }

  @Test
  void a_viewer_gets_the_latest_values_first_then_live_ticks() {
    startRunning("sse", List.of("2885", "NSE_FNO:55796"), "quote");
    String key = "type:sse|ids:2885,NSE_FNO:55796";
    awaitRunning(key);

    try (SseClient viewer = new SseClient(server.uri(ApiPaths.stream(key) + "/ticks"))) {
      await().atMost(WAIT).until(() -> viewer.named("tick").size() >= 5);

      assertThat(viewer.events.get(0).name()).isEqualTo("snapshot");
      JsonNode snapshot = json(viewer.events.get(0).data());
      assertThat(snapshot.findValuesAsText("securityId")).containsExactly("2885", "55796");
      // Previous close came once, at subscribe time, long before this viewer: the snapshot has it.
      assertThat(snapshot.get(0).has("previousClose")).isTrue();
      JsonNode tick = json(viewer.named("tick").get(0).data());
      assertThat(tick.get("kind").asText()).isIn("quote", "oi");
      assertThat(tick.has("receivedAt")).isTrue();
    }
  }

  @Test
  void the_viewer_who_started_a_stream_gets_the_previous_close_of_every_instrument() {
    // As the page does: start, then watch at once. The broker sends previous closes once, right
    // after subscribing: before this node's new topic for the key is known to the publisher.
    List<String> instruments = List.of("11536", "1594", "3045");
    startRunning("sse-prev", instruments, "quote");
    String key = StreamRequest.key("sse-prev", instruments).value();

    try (SseClient viewer = new SseClient(server.uri(ApiPaths.stream(key) + "/ticks"))) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(previousClosesSeen(viewer))
                      .containsExactlyInAnyOrder(11536, 1594, 3045));
    }
  }

  /** The instruments the viewer has a previous close for, from its snapshots and ticks. */
  private static java.util.Set<Integer> previousClosesSeen(SseClient viewer) {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (SseClient.Event event : viewer.events) {
      JsonNode data = json(event.data());
      for (JsonNode tick : data.isArray() ? data : List.of(data)) {
        if (tick.has("previousClose")) {
          seen.add(tick.get("securityId").asInt());
        }
      }
    }
    return seen;
  }

  @Test
  void a_viewer_hears_its_stream_stop_with_the_reason_then_its_response_ends() {
    startRunning("sse-stop", List.of("1594"), "ticker");
    String key = "type:sse-stop|ids:1594";
    awaitRunning(key);

    try (SseClient viewer = new SseClient(server.uri(ApiPaths.stream(key) + "/ticks"))) {
      await().atMost(WAIT).until(() -> !viewer.named("tick").isEmpty());
      assertThat(server.delete(ApiPaths.stream(key)).statusCode()).isEqualTo(200);

      await().atMost(WAIT).until(viewer.ended::isDone);
      SseClient.Event last = viewer.events.get(viewer.events.size() - 1);
      assertThat(last.name()).isEqualTo("stopped");
      assertThat(json(last.data()).get("reason").asText()).isEqualTo("stopped via the API");
      assertThat(json(last.data()).has("at")).isTrue();
      assertThat(viewer.named("stopped")).hasSize(1);
    }
    await().atMost(WAIT).until(() -> server.openViewers() == 0); // its seat came back
  }

  @Test
  void a_viewer_hears_its_feed_reconnect_and_run_again() {
    startRunning("sse-feed", List.of("4963"), "ticker");
    String key = "type:sse-feed|ids:4963";
    awaitRunning(key);

    try (SseClient viewer = new SseClient(server.uri(ApiPaths.stream(key) + "/ticks"))) {
      await().atMost(WAIT).until(() -> !viewer.named("tick").isEmpty());
      assertThat(server.simulator.state().drop(Optional.empty())).isPositive();

      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(viewer.named("feed"))
                      .extracting(event -> json(event.data()).get("status").asText())
                      .containsSubsequence("reconnecting", "running"));
      JsonNode reconnecting =
          viewer.named("feed").stream()
              .map(event -> json(event.data()))
              .filter(feed -> feed.get("status").asText().equals("reconnecting"))
              .findFirst()
              .orElseThrow();
      assertThat(reconnecting.get("node").asText()).isNotBlank();
      assertThat(reconnecting.get("reason").asText()).isNotBlank();
      int ticksBefore = viewer.named("tick").size();
      await().atMost(WAIT).until(() -> viewer.named("tick").size() > ticksBefore);
      assertThat(viewer.ended).isNotDone();
    }
  }

  @Test
  void ticks_of_a_stream_that_is_not_running_are_404() {
    assertThat(server.get(ApiPaths.stream("type:sse|ids:424242") + "/ticks").statusCode())
        .isEqualTo(404);
  }

  @Test
  void a_viewer_that_stops_reading_does_not_delay_a_fast_one() throws Exception {
    List<String> instruments =
        IntStream.rangeClosed(1, 200).mapToObj(i -> String.valueOf(10_000 + i)).toList();
    startRunning("busy", instruments, "full");
    String key = StreamRequest.key("busy", instruments).value();
    awaitRunning(key);

    // The slow viewer asks for the stream, then never reads: its socket buffers fill up.
    try (Socket slow = new Socket()) {
      slow.setReceiveBufferSize(4096);
      slow.connect(
          new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.base.getPort()));
      slow.getOutputStream()
          .write(
              ("GET "
                      + ApiPaths.stream(key)
                      + "/ticks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      + "Accept: text/event-stream\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream slowIn = slow.getInputStream();
      assertThat(new String(slowIn.readNBytes(12), StandardCharsets.US_ASCII))
          .isEqualTo("HTTP/1.1 200");

      try (SseClient fast = new SseClient(server.uri(ApiPaths.stream(key) + "/ticks"))) {
        await().atMost(WAIT).until(() -> fast.named("tick").size() > 100);
        // For five seconds, with 4,000 updates a second going to a reader that reads nothing,
        // the fast viewer keeps receiving ticks that are less than two seconds old.
        await()
            .during(Duration.ofSeconds(5))
            .atMost(Duration.ofSeconds(8))
            .until(() -> latestLag(fast).compareTo(Duration.ofSeconds(2)) < 0);
        int received = fast.named("tick").size();
        await().atMost(WAIT).until(() -> fast.named("tick").size() > received + 1_000);
      }
      assertThat(json(server.get(ApiPaths.stream(key)).body()).get("status").asText())
          .isEqualTo("running");
    }
  }

  @Test
  void viewers_coming_and_going_leave_the_node_able_to_find_publishers() {
    startRunning("churn", List.of("1333"), "ticker");
    String key = "type:churn|ids:1333";
    awaitRunning(key);

    // Each viewer that leaves empties this node's topic for the key, which then deregisters from
    // the cluster receptionist. A second deregistration would stop the receptionist for the
    // whole node (Pekko throws on it), and no topic here would find a new publisher again.
    for (int i = 0; i < 8; i++) {
      try (SseClient viewer = new SseClient(server.uri(ApiPaths.stream(key) + "/ticks"))) {
        await().atMost(WAIT).until(() -> !viewer.named("tick").isEmpty());
      }
      // The topic drops a viewer that left by watching it, without being told.
      await().atMost(WAIT).until(() -> localViewers(key) == 0);
      await().atMost(WAIT).until(TickEventsTest::receptionistAnswers);
    }
  }

  /** How many viewers this node's topic for the key has. */
  private static int localViewers(String key) throws Exception {
    var system = server.kit.system();
    ActorRef<Topic.Command<TickBatch>> topic =
        AskPattern.<ViewerTopics.Request, ActorRef<Topic.Command<TickBatch>>>ask(
                server.topics,
                replyTo -> new ViewerTopics.GetTopic(StreamKey.parse(key), replyTo),
                WAIT,
                system.scheduler())
            .toCompletableFuture()
            .get();
    return AskPattern.<Topic.Command<TickBatch>, Topic.TopicStats>ask(
            topic, Topic::getTopicStats, WAIT, system.scheduler())
        .toCompletableFuture()
        .get()
        .localSubscriberCount();
  }

  /** The cluster receptionist still answers (it stops for good when it fails). */
  private static boolean receptionistAnswers() {
    var system = server.kit.system();
    try {
      AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
              system.receptionist(),
              replyTo -> Receptionist.find(ServiceKey.create(Tick.class, "ping"), replyTo),
              Duration.ofSeconds(1),
              system.scheduler())
          .toCompletableFuture()
          .get();
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** How old the newest tick the viewer has is, by the time tickshard received it upstream. */
  private static Duration latestLag(SseClient viewer) {
    List<SseClient.Event> ticks = viewer.named("tick");
    if (ticks.isEmpty()) {
      return Duration.ofDays(1);
    }
    Instant received =
        Instant.parse(json(ticks.get(ticks.size() - 1).data()).get("receivedAt").asText());
    return Duration.between(received, Instant.now());
  }
}
