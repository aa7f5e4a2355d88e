package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import io.tickshard.streams.testkit.Jwt;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The morning's token rollover on three JVMs: the broker expires the token mid-session, every
 * stream on every node waits for credentials without trying the old token again, and a new token
 * given to one node through the API brings every stream on every node back within 5 s, each
 * reconnecting once. Neither token, nor the API token, appears in any node's log or in any answer.
 */
class CredentialsRolloverIT {
  private static final int KEYS = 9;
  private static final String API_TOKEN = "rollover-api-s3cret";
  private static final String FIRST =
      Jwt.expiringAt(Instant.now().plus(Duration.ofHours(20)), "first-of-the-day");
  private static final String SECOND =
      Jwt.expiringAt(Instant.now().plus(Duration.ofHours(44)), "second-of-the-day");
  private static final ObjectMapper JSON = NodeHttp.JSON;
  private static final HttpClient HTTP = NodeHttp.HTTP;

  private static FeedSimulator simulator;
  private static Path logs;
  private static final List<NodeProcess> nodes = new ArrayList<>();
  private static final List<String> answers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    logs = Files.createDirectories(Path.of("target", "credentials-rollover").toAbsolutePath());
    EmbeddedDatabase.Database database = EmbeddedDatabase.newDatabase();
    simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults().withMarket(5, 17).withLimits(100, 5_000, KEYS));
    simulator.state().addCredential(SimulatorConfig.DEFAULT_CLIENT_ID, FIRST);
    int[] ports = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
    Map<String, String> env = new HashMap<>();
    env.put("TICKSHARD_SEED_NODES", "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1]);
    env.put("TICKSHARD_DB_URL", database.url());
    env.put("TICKSHARD_DB_USER", database.user());
    env.put("TICKSHARD_DB_PASSWORD", database.password());
    env.put("TICKSHARD_API_TOKEN", API_TOKEN);
    env.put("TICKSHARD_MARKET_HOURS", "always");
    env.put("TICKSHARD_UPSTREAM_SHARING", "dedicated"); // a socket per key, watched one by one
    // As an operator runs against the broker: credentials in the environment, a JWT.
    env.put("DHANHQ_WS_URL", simulator.baseUrl().toString());
    env.put("DHANHQ_CLIENT_ID", SimulatorConfig.DEFAULT_CLIENT_ID);
    env.put("DHANHQ_ACCESS_TOKEN", FIRST);
    Map<String, String> properties =
        Map.of(
            "tickshard.budget.max-connections",
            String.valueOf(KEYS),
            "pekko.cluster.split-brain-resolver.stable-after",
            "2s");
    for (int i = 0; i < 3; i++) {
      nodes.add(
          NodeProcess.start(
              "rollover" + (i + 1) + "-" + System.nanoTime(),
              ports[i],
              env,
              List.of(),
              properties,
              logs));
    }
    for (NodeProcess node : nodes) {
      node.awaitReady();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (NodeProcess node : nodes) {
      node.close();
    }
    if (simulator != null) {
      simulator.close();
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> answer =
        HTTP.send(
            request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
    answers.add(answer.body());
    return answer;
  }

  private static JsonNode get(NodeProcess node, String path) throws Exception {
    return JSON.readTree(send(HttpRequest.newBuilder(URI.create(node.api() + path))).body());
  }

  /** Status and node of every stream, from one node's listing. */
  private static Map<String, JsonNode> listing() throws Exception {
    Map<String, JsonNode> streams = new HashMap<>();
    for (JsonNode stream : get(nodes.get(0), "/api/v1/streams").get("streams")) {
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
              HttpRequest.newBuilder(URI.create(nodes.get(k % 3).api() + "/api/v1/streams"))
                  .header("Content-Type", "application/json")
                  .header("Authorization", "Bearer " + API_TOKEN)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"screenerType\":\"morning\",\"instruments\":[" + (700 + k) + "]}")));
      assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> all("running"));
    Set<String> hosts = new HashSet<>();
    listing().values().forEach(s -> hosts.add(s.get("node").asText()));
    assertThat(hosts).as("streams on every node").hasSize(3);

    // The broker expires the day's token: every socket gets 807.
    assertThat(simulator.state().expireToken(FIRST)).isEqualTo(KEYS);
    await().atMost(Duration.ofSeconds(30)).until(() -> all("waiting_for_credentials"));
    assertThat(listing().values())
        .allSatisfy(s -> assertThat(s.get("lastError").asText()).contains("807"));
    for (NodeProcess node : nodes) {
      assertThat(get(node, "/api/v1/broker").get("state").asText()).isEqualTo("refused");
      assertThat(get(node, "/api/v1/health").get("status").asText()).isEqualTo("degraded");
    }
    // No refusal loop against the broker: nobody tries the old token again.
    long attempts = simulator.state().authAttempts(FIRST);
    await()
        .during(Duration.ofSeconds(60))
        .atMost(Duration.ofSeconds(70))
        .until(() -> simulator.state().authAttempts(FIRST) == attempts);
    assertThat(simulator.state().stats().connectionsOpen()).isZero();

    // The new token, given to one node.
    simulator.state().addCredential(SimulatorConfig.DEFAULT_CLIENT_ID, SECOND);
    HttpResponse<String> put =
        send(
            HttpRequest.newBuilder(URI.create(nodes.get(1).api() + "/api/v1/broker/credentials"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + API_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"accessToken\":\"" + SECOND + "\"}")));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(JSON.readTree(put.body()).get("reachedEveryNode").asBoolean()).isTrue();
    Instant given = Instant.now();

    await().atMost(Duration.ofSeconds(5)).until(() -> all("running"));
    Duration back = Duration.between(given, Instant.now());
    Files.writeString(
        logs.resolve("timings.txt"), "rollover.all-streams-back " + back.toMillis() + " ms\n");
    // Once per stream, no herd: one attempt each with the new token, none with the old.
    assertThat(simulator.state().authAttempts(SECOND)).isEqualTo(KEYS);
    assertThat(simulator.state().authAttempts(FIRST)).isEqualTo(attempts);
    assertThat(simulator.state().stats().connectionsOpen()).isEqualTo(KEYS);
    for (NodeProcess node : nodes) {
      JsonNode broker = get(node, "/api/v1/broker");
      assertThat(broker.get("tokenSource").asText()).isEqualTo("api");
      assertThat(broker.get("state").asText()).isEqualTo("ok");
    }

    List<String> secrets =
        List.of(
            FIRST,
            SECOND,
            API_TOKEN,
            URLEncoder.encode(FIRST, StandardCharsets.UTF_8),
            URLEncoder.encode(SECOND, StandardCharsets.UTF_8));
    for (NodeProcess node : nodes) {
      String log = Files.readString(NodeProcess.log(logs, node.name));
      for (String secret : secrets) {
        assertThat(log).as("%s's log", node.name).doesNotContain(secret);
      }
    }
    for (String answer : answers) {
      for (String secret : secrets) {
        assertThat(answer).doesNotContain(secret);
      }
    }
  }
}
