package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.service.rig.BrokerSockets;
import io.tickshard.service.rig.Cluster;
import io.tickshard.service.rig.NodeProcess;
import io.tickshard.service.rig.ScreenerKey;
import io.tickshard.service.rig.StreamsApi;
import io.tickshard.service.rig.Subscriptions;
import io.tickshard.service.rig.Upstream;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.testkit.Jwt;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The morning's token rollover on three JVMs, on the default configuration (keys share the
 * account's sockets): the broker expires the token mid-session, every stream on every node waits
 * for credentials without trying the old token again, and a new token given to one node through the
 * API brings every stream on every node back within 5 s, each socket reconnecting once (not each
 * key). Neither token, nor the API token, appears in any node's log or in any answer.
 */
class CredentialsRolloverIT {
  private static final int KEYS = 9;
  private static final String API_TOKEN = "rollover-api-s3cret";
  private static final String FIRST =
      Jwt.expiringAt(Instant.now().plus(Duration.ofHours(20)), "first-of-the-day");
  private static final String SECOND =
      Jwt.expiringAt(Instant.now().plus(Duration.ofHours(44)), "second-of-the-day");
  private static final List<ScreenerKey> keys =
      IntStream.range(0, KEYS)
          .mapToObj(k -> new ScreenerKey("morning", List.of(700 + k), "quote"))
          .toList();

  private static Cluster cluster;
  private static BrokerSockets broker;
  private static final List<String> answers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster =
        Cluster.start(
            Cluster.Spec.of("credentials-rollover", 3)
                .withSimulator(
                    SimulatorConfig.defaults()
                        .withMarket(5, 17)
                        .withCredentials(
                            Map.of(SimulatorConfig.DEFAULT_CLIENT_ID, FIRST), Set.of()))
                .withEnvironment("TICKSHARD_API_TOKEN", API_TOKEN)
                .withEnvironment("TICKSHARD_MARKET_HOURS", "always")
                // As an operator runs against the broker: credentials in the environment, a JWT.
                .withEnvironment("DHANHQ_CLIENT_ID", SimulatorConfig.DEFAULT_CLIENT_ID)
                .withEnvironment("DHANHQ_ACCESS_TOKEN", FIRST));
    broker = cluster.broker();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> answer =
        StreamsApi.HTTP.send(
            request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    answers.add(answer.body());
    return answer;
  }

  private static JsonNode get(NodeProcess node, String path) throws Exception {
    return StreamsApi.JSON.readTree(
        send(HttpRequest.newBuilder(URI.create(node.api() + path))).body());
  }

  /** Status and node of every stream, from one node's listing. */
  private static Map<String, JsonNode> listing() throws Exception {
    Map<String, JsonNode> streams = new HashMap<>();
    for (JsonNode stream : get(cluster.node(0), "/api/v1/streams").get("streams")) {
      streams.put(stream.get("key").asText(), stream);
    }
    return streams;
  }

  private static boolean all(String state) throws Exception {
    Map<String, JsonNode> streams = listing();
    return streams.size() == KEYS
        && streams.values().stream().allMatch(s -> state.equals(s.get("status").asText()));
  }

  @Test
  void an_expired_token_parks_every_stream_and_a_new_one_given_to_one_node_wakes_them_all()
      throws Exception {
    for (int k = 0; k < KEYS; k++) {
      HttpResponse<String> started =
          send(
              HttpRequest.newBuilder(URI.create(cluster.node(k % 3).api() + "/api/v1/streams"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + API_TOKEN)
                  .POST(HttpRequest.BodyPublishers.ofString(keys.get(k).startBody())));
      assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> all("running"));
    Set<String> hosts = new HashSet<>();
    listing().values().forEach(s -> hosts.add(s.get("node").asText()));
    assertThat(hosts).as("streams on every node").hasSize(3);
    // Nine instruments share one socket, each subscribed once.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> broker.assertOneConnectionCarrying(Subscriptions.needed(keys)));
    int sockets = broker.open().size();
    String owner = Upstream.ownerOf(cluster.node(0), "slot-0");

    // The broker expires the day's token: every socket gets 807.
    assertThat(broker.state().expireToken(FIRST)).isEqualTo(sockets);
    await().atMost(Duration.ofSeconds(30)).until(() -> all("waiting_for_credentials"));
    assertThat(listing().values())
        .allSatisfy(s -> assertThat(s.get("lastError").asText()).contains("807"));
    // Each node answers for itself (docs/api.md): the socket's node saw the refusal; every node's
    // health counts the streams waiting.
    assertThat(get(cluster.at(owner), "/api/v1/broker").get("state").asText()).isEqualTo("refused");
    for (NodeProcess node : cluster.nodes()) {
      assertThat(get(node, "/api/v1/health").get("status").asText()).isEqualTo("degraded");
    }
    // No refusal loop against the broker: nobody tries the old token again.
    long attempts = broker.state().authAttempts(FIRST);
    await()
        .during(Duration.ofSeconds(60))
        .atMost(Duration.ofSeconds(70))
        .until(() -> broker.state().authAttempts(FIRST) == attempts);
    assertThat(broker.openCount()).isZero();

    // The new token, given to one node.
    broker.state().addCredential(SimulatorConfig.DEFAULT_CLIENT_ID, SECOND);
    HttpResponse<String> put =
        send(
            HttpRequest.newBuilder(URI.create(cluster.node(1).api() + "/api/v1/broker/credentials"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + API_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"accessToken\":\"" + SECOND + "\"}")));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(StreamsApi.JSON.readTree(put.body()).get("reachedEveryNode").asBoolean()).isTrue();
    Instant given = Instant.now();

    await().atMost(Duration.ofSeconds(5)).until(() -> all("running"));
    Duration back = Duration.between(given, Instant.now());
    Files.writeString(
        cluster.logs().resolve("timings.txt"),
        "rollover.all-streams-back " + back.toMillis() + " ms\n");
    // Once per socket, no herd: one attempt each with the new token, none with the old.
    assertThat(broker.state().authAttempts(SECOND)).isEqualTo(sockets);
    assertThat(broker.state().authAttempts(FIRST)).isEqualTo(attempts);
    broker.assertOneConnectionCarrying(Subscriptions.needed(keys));
    broker.assertSharedPromise();
    // Nodes that own no socket take the new credentials as their replica tells them (within the
    // replicator's notify interval of the PUT's answer), not as a reconnect needs them.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              for (NodeProcess node : cluster.nodes()) {
                JsonNode state = get(node, "/api/v1/broker");
                assertThat(state.get("tokenSource").asText()).as(node.name()).isEqualTo("api");
                assertThat(state.get("state").asText()).as(node.name()).isEqualTo("ok");
              }
            });

    List<String> secrets =
        List.of(
            FIRST,
            SECOND,
            API_TOKEN,
            URLEncoder.encode(FIRST, StandardCharsets.UTF_8),
            URLEncoder.encode(SECOND, StandardCharsets.UTF_8));
    for (NodeProcess node : cluster.nodes()) {
      String log = Files.readString(NodeProcess.log(cluster.logs(), node.name()));
      for (String secret : secrets) {
        assertThat(log).as("%s's log", node.name()).doesNotContain(secret);
      }
    }
    for (String answer : answers) {
      for (String secret : secrets) {
        assertThat(answer).doesNotContain(secret);
      }
    }
  }
}
