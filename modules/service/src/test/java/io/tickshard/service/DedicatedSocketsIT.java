package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.service.rig.BrokerSockets;
import io.tickshard.service.rig.Cluster;
import io.tickshard.service.rig.NodeProcess;
import io.tickshard.service.rig.ScreenerKey;
import io.tickshard.service.rig.StreamsApi;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code dedicated} placement policy on two JVMs (the default shares sockets; this one gives
 * each key a socket of its own, as the seed did): three keys hold three of a budget of three
 * sockets, each carrying exactly its key's instruments; a fourth start is refused with 429 and
 * starts nothing; a leaving node's keys move to the other node, and no key ever has two sockets
 * open at once.
 */
class DedicatedSocketsIT {
  private static final int BUDGET = 3;
  private static final List<ScreenerKey> keys =
      IntStream.range(0, BUDGET)
          .mapToObj(k -> new ScreenerKey("apart", List.of(100 * k + 1, 100 * k + 2), "quote"))
          .toList();

  private static Cluster cluster;
  private static BrokerSockets broker;

  @BeforeAll
  static void start() throws Exception {
    cluster =
        Cluster.start(
            Cluster.Spec.of("dedicated-sockets", 2)
                .withEnvironment("TICKSHARD_UPSTREAM_SHARING", "dedicated")
                .withProperty("tickshard.budget.max-connections", String.valueOf(BUDGET)));
    broker = cluster.broker();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The instrument sets of the open connections: one per key, each exactly its key's. */
  private static void assertOneSocketPerKey() {
    Set<Set<String>> perKey =
        keys.stream().map(ScreenerKey::instruments).collect(Collectors.toSet());
    List<Set<String>> open =
        broker.open().stream()
            .map(c -> (Set<String>) new HashSet<>(BrokerSockets.subscribed(c).keySet()))
            .toList();
    assertThat(open).as("open connections' instruments").hasSize(BUDGET);
    assertThat(new HashSet<>(open)).isEqualTo(perKey);
  }

  @Test
  void each_key_holds_a_socket_of_its_own_a_key_past_the_budget_is_429_and_a_move_never_doubles()
      throws Exception {
    for (int k = 0; k < BUDGET; k++) {
      HttpResponse<String> started = StreamsApi.start(cluster.node(k % 2), keys.get(k).startBody());
      assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    }
    await().atMost(Duration.ofSeconds(60)).untilAsserted(DedicatedSocketsIT::assertOneSocketPerKey);
    JsonNode upstream = StreamsApi.upstream(cluster.node(0));
    assertThat(upstream.path("sharing").asText()).isEqualTo("dedicated");
    assertThat(upstream.path("socketsInUse").asInt()).as(upstream.toString()).isEqualTo(BUDGET);

    ScreenerKey past = new ScreenerKey("apart", List.of(901), "quote");
    HttpResponse<String> refused = StreamsApi.start(cluster.node(1), past.startBody());
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonNode problem = StreamsApi.parse(refused.body());
    assertThat(problem.path("type").asText()).isEqualTo("/problems/budget-exhausted");
    assertThat(problem.path("budget").asInt()).isEqualTo(BUDGET);
    Set<String> holders = new HashSet<>();
    problem.path("holders").forEach(h -> holders.add(h.asText()));
    assertThat(holders).isEqualTo(keys.stream().map(ScreenerKey::key).collect(Collectors.toSet()));
    assertThat(StreamsApi.status(cluster.node(0).api() + StreamsApi.path(past.key())))
        .as("nothing started")
        .isEqualTo(404);
    assertThat(broker.open()).hasSize(BUDGET);

    // The node that hosts the first key leaves: its keys' sockets close there and open on the
    // other node.
    Map<String, String> hosts = StreamsApi.field(cluster.node(0), "node");
    NodeProcess leaving = cluster.at(hosts.get(keys.get(0).key()));
    NodeProcess staying = cluster.alive().stream().filter(n -> n != leaving).findFirst().get();
    assertThat(leaving.stop(Duration.ofSeconds(60))).as("leaves within a minute").isTrue();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Map<String, String> now = StreamsApi.field(staying, "status");
              assertThat(now.values()).hasSize(BUDGET).allMatch("running"::equals);
            });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(DedicatedSocketsIT::assertOneSocketPerKey);
    broker.assertNeverTwoSocketsForOneKey();
    assertThat(broker.evictionsSinceMark()).isZero();
  }
}
