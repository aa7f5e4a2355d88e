package io.tickshard.service;

import static io.tickshard.service.rig.ScreenerKey.rank;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.service.rig.BrokerSockets;
import io.tickshard.service.rig.Cluster;
import io.tickshard.service.rig.Figures;
import io.tickshard.service.rig.RunningKeys;
import io.tickshard.service.rig.ScreenerKey;
import io.tickshard.service.rig.SharedCluster;
import io.tickshard.service.rig.SseViewer;
import io.tickshard.service.rig.Storm;
import io.tickshard.service.rig.StreamsApi;
import io.tickshard.service.rig.Subscriptions;
import io.tickshard.service.rig.Upstream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A start storm on the default configuration (shared sockets), three JVMs: 600 concurrent starts of
 * 100 overlapping keys in mixed modes ride on one broker socket that carries each instrument once,
 * in the highest mode a key needs, and each key's viewers get only its instruments in its own mode.
 */
@ExtendWith(SharedCluster.class)
class SharedStormIT {
  private static final int KEYS = 100;
  private static final int REQUESTS = 600;
  private static final int POOL = 1_200;

  private static Cluster cluster;
  private static BrokerSockets broker;
  private static Figures figures;

  @BeforeAll
  static void given(Cluster shared) {
    cluster = shared;
    broker = shared.broker();
    figures = new Figures(shared.logs().resolve("figures.txt"), "SHARED-SOCKETS");
  }

  @AfterAll
  static void report() throws Exception {
    figures.write();
  }

  @Test
  void a_storm_of_600_starts_for_100_overlapping_keys_rides_on_one_socket_in_the_highest_modes()
      throws Exception {
    Random random = new Random(7);
    // Fresh JVMs interpret and compile their code: as ClusterProofIT, a storm on other keys (then
    // stopped, its socket closed) first, measured apart.
    for (int round = 0; round < Integer.getInteger("shared.warm-rounds", 1); round++) {
      List<ScreenerKey> warm =
          ScreenerKey.overlapping("warm" + round, KEYS, 50_000 + 10_000 * round, POOL, random);
      figures.put(
          "storm.warm-up-" + round + ".answer-times",
          Storm.answerTimes(Storm.of(warm, REQUESTS, cluster.nodes(), random)));
      cluster.stopEveryStream();
    }
    broker.mark();

    List<ScreenerKey> keys = ScreenerKey.overlapping("storm", KEYS, 10_000, POOL, new Random(2026));
    long began = System.nanoTime();
    List<Storm.Answer> answers = Storm.of(keys, REQUESTS, cluster.nodes(), random);
    figures.put("storm.answer-times", Storm.answerTimes(answers));
    Storm.assertAnswered(answers, 200, 201);
    Storm.assertOneStartedPerKey(answers, keys);

    Map<String, String> expected = Subscriptions.needed(keys);
    figures.put("storm.union", expected.size() + " instruments " + Subscriptions.perMode(expected));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> broker.assertOneConnectionCarrying(expected));
    long subscribed = System.nanoTime();
    figures.put("storm.subscribed-after", (subscribed - began) / 1_000_000 + " ms");
    assertThat(broker.sinceMark()).as("connections opened by the storm").hasSize(1);
    assertThat(broker.evictionsSinceMark()).isZero();

    Set<String> names = keys.stream().map(ScreenerKey::key).collect(Collectors.toSet());
    RunningKeys.Running running = RunningKeys.await(cluster, names, began, subscribed, "storm");
    figures.put("storm.first-listing", running.firstListing().toString());
    figures.put("storm.all-running-after", running.allRunningMs() + " ms");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> Upstream.assertOneSocketCarrying(cluster.serving(), expected, KEYS, "slot-0"));

    List<ScreenerKey> sample = ridingOnHigherModes(keys, expected);
    List<SseViewer> viewers = new ArrayList<>();
    try {
      for (int i = 0; i < sample.size(); i++) {
        viewers.add(new SseViewer(cluster.node(i % cluster.nodes().size()), sample.get(i).key()));
      }
      for (int i = 0; i < sample.size(); i++) {
        JsonNode status = StreamsApi.stream(viewers.get(i).node(), sample.get(i).key());
        assertThat(status.path("sockets").toString())
            .as(status.toString())
            .isEqualTo("[\"slot-0\"]");
        assertThat(status.path("mode").asText()).isEqualTo(sample.get(i).mode());
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                for (int i = 0; i < viewers.size(); i++) {
                  SseViewer viewer = viewers.get(i);
                  assertThat(viewer.status()).as(viewer.toString()).isEqualTo(200);
                  assertThat(viewer.instrumentsSeen())
                      .as(viewer.toString())
                      .containsAll(sample.get(i).instruments());
                }
              });
      for (int i = 0; i < viewers.size(); i++) {
        viewers.get(i).assertOnlyItsInstrumentsInItsMode(sample.get(i));
      }
      figures.put(
          "storm.viewer-ticks",
          sample.stream()
              .map(k -> k.mode() + "=" + viewers.get(sample.indexOf(k)).ticks().size())
              .collect(Collectors.joining(" ")));
    } finally {
      viewers.forEach(SseViewer::close);
    }
    broker.assertSharedPromise();
    assertThat(running.late()).as("keys of the storm").isEmpty();
  }

  /**
   * Two keys per mode; the ticker and quote ones ride on a higher subscription of at least one of
   * their instruments, so their ticks are cut down to their mode.
   */
  private static List<ScreenerKey> ridingOnHigherModes(
      List<ScreenerKey> keys, Map<String, String> carried) {
    List<ScreenerKey> sample = new ArrayList<>();
    for (String mode : ScreenerKey.MODES) {
      keys.stream()
          .filter(k -> k.mode().equals(mode))
          .filter(
              k ->
                  mode.equals("full")
                      || k.instruments().stream().anyMatch(i -> rank(carried.get(i)) > rank(mode)))
          .limit(2)
          .forEach(sample::add);
    }
    assertThat(sample).hasSize(6);
    return sample;
  }
}
