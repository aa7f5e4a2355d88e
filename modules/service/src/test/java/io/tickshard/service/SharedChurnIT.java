package io.tickshard.service;

import static io.tickshard.service.rig.ScreenerKey.rank;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.service.rig.BrokerSockets;
import io.tickshard.service.rig.Cluster;
import io.tickshard.service.rig.Figures;
import io.tickshard.service.rig.NodeProcess;
import io.tickshard.service.rig.RunningKeys;
import io.tickshard.service.rig.ScreenerKey;
import io.tickshard.service.rig.SharedCluster;
import io.tickshard.service.rig.StreamsApi;
import io.tickshard.service.rig.Subscriptions;
import io.tickshard.service.rig.Upstream;
import io.tickshard.simulator.SimulatorState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Churn on a shared socket, three JVMs on the default configuration: with 100 overlapping keys in
 * mixed modes running on one socket, stopping half of them (from any node) unsubscribes the
 * instruments no key needs any more and downgrades those only a stopped key needed in a higher
 * mode, on the open socket, after the grace; nothing reconnects and nothing is upgraded.
 */
@ExtendWith(SharedCluster.class)
class SharedChurnIT {
  private static final int KEYS = 100;

  private static Cluster cluster;
  private static BrokerSockets broker;
  private static Figures figures;
  private static final List<ScreenerKey> keys =
      ScreenerKey.overlapping("churn", KEYS, 20_000, 1_200, new Random(2027));

  @BeforeAll
  static void keysRunningOnOneSocket(Cluster shared) throws Exception {
    cluster = shared;
    broker = shared.broker();
    figures = new Figures(shared.logs().resolve("figures.txt"), "SHARED-SOCKETS");
    RunningKeys.startOnOneSocket(cluster, keys, "churn");
  }

  @AfterAll
  static void report() throws Exception {
    figures.write();
  }

  @Test
  void stopping_half_the_keys_unsubscribes_and_downgrades_on_the_open_socket_after_the_grace()
      throws Exception {
    SimulatorState.ConnectionInfo socket =
        broker.assertOneConnectionCarrying(Subscriptions.needed(keys));
    Map<String, String> before = BrokerSockets.subscribed(socket);
    List<ScreenerKey> shuffled = new ArrayList<>(keys);
    Collections.shuffle(shuffled, new Random(29));
    List<ScreenerKey> stopping = shuffled.subList(0, KEYS / 2);
    List<ScreenerKey> remaining = shuffled.subList(KEYS / 2, KEYS);
    Map<String, String> expected = Subscriptions.needed(remaining);
    long unsubscribesBefore = broker.state().stats().unsubscribeMessages();

    Random random = new Random(31);
    List<CompletableFuture<HttpResponse<String>>> stops = new ArrayList<>();
    for (ScreenerKey key : stopping) {
      NodeProcess node = cluster.node(random.nextInt(cluster.nodes().size()));
      stops.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return StreamsApi.stop(node, key.key());
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    for (CompletableFuture<HttpResponse<String>> stop : stops) {
      HttpResponse<String> answer = stop.join();
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(StreamsApi.parse(answer.body()).path("status").asText())
          .as(answer.body())
          .isEqualTo("stopped");
    }
    long stopped = System.nanoTime();

    await()
        .atMost(SharedCluster.GRACE.plusSeconds(30))
        .untilAsserted(() -> broker.assertOneConnectionCarrying(expected));
    figures.put(
        "churn.settled-after-the-stops",
        (System.nanoTime() - stopped) / 1_000_000
            + " ms (grace "
            + SharedCluster.GRACE.toMillis()
            + " ms)");
    SimulatorState.ConnectionInfo after = broker.open().get(0);
    assertThat(after.id()).as("the same socket, no reconnect").isEqualTo(socket.id());
    assertThat(broker.sinceMark()).as("connections opened since the keys started").hasSize(1);
    assertThat(broker.state().stats().unsubscribeMessages()).isGreaterThan(unsubscribesBefore);

    Map<String, String> now = BrokerSockets.subscribed(after);
    long unsubscribed = before.keySet().stream().filter(i -> !now.containsKey(i)).count();
    long downgraded =
        now.keySet().stream().filter(i -> rank(now.get(i)) < rank(before.get(i))).count();
    figures.put(
        "churn.changes",
        "%d unsubscribed, %d downgraded, %d left of %d"
            .formatted(unsubscribed, downgraded, now.size(), before.size()));
    assertThat(unsubscribed).as("instruments unsubscribed").isPositive();
    assertThat(downgraded).as("instruments downgraded").isPositive();
    assertThat(now.keySet().stream().filter(i -> rank(now.get(i)) > rank(before.get(i))))
        .as("nothing upgraded by stops")
        .isEmpty();

    Map<String, String> statuses = StreamsApi.field(cluster.serving(), "status");
    assertThat(remaining)
        .allSatisfy(k -> assertThat(statuses.get(k.key())).as(k.key()).isEqualTo("running"));
    for (ScreenerKey key : stopping.subList(0, 5)) {
      assertThat(StreamsApi.stream(cluster.node(0), key.key()).path("status").asText())
          .isEqualTo("stopped");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                Upstream.assertOneSocketCarrying(
                    cluster.serving(), expected, remaining.size(), "slot-0"));
    broker.assertSharedPromise();
  }
}
