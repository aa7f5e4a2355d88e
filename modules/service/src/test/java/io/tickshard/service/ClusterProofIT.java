package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.service.rig.BrokerSockets;
import io.tickshard.service.rig.Cluster;
import io.tickshard.service.rig.Figures;
import io.tickshard.service.rig.NodeProcess;
import io.tickshard.service.rig.ScreenerKey;
import io.tickshard.service.rig.SseViewer;
import io.tickshard.service.rig.Storm;
import io.tickshard.service.rig.StreamsApi;
import io.tickshard.service.rig.Subscriptions;
import io.tickshard.service.rig.Upstream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * tickshard's promise on separate JVMs, on the default configuration (the broker account's sockets
 * shared by every key): three nodes from the packaged jar, one PostgreSQL, one feed simulator. A
 * start storm starts each key once and subscribes each instrument once; a killed socket owner's
 * streams run again elsewhere within seconds; a leaving node hands its streams over; a restarted
 * cluster brings every stream back. The simulator's connection timeline shows no instrument ever
 * carried by two connections at once, and never more connections than the account's five.
 *
 * <p>One scenario, a cluster's day, in steps: each starts from the cluster the step before left
 * (the storm's keys running, a node gone), as a production cluster would.
 *
 * <p>Times are written to {@code target/cluster-proof/timings.txt} and reported in
 * docs/benchmarks.md; the bounds asserted here are the (15 s failover, 5 s hand-off gap),
 * except the storm's 2 s, which is a figure to measure on a given machine rather than a test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProofIT {
  private static final int KEYS = 50;
  private static final int REQUESTS = 600;

  private static Cluster cluster;
  private static BrokerSockets broker;
  private static Figures timings;
  private static final List<ScreenerKey> keys = keys("storm", 0);
  private static final Map<String, String> carried = Subscriptions.needed(keys);

  @BeforeAll
  static void start() throws Exception {
    cluster =
        Cluster.start(
            Cluster.Spec.of("cluster-proof", 3)
                // An instrument no key needs goes 2 s after (10 s by default): the warm-up's
                // socket closes before the measured storm.
                .withEnvironment("TICKSHARD_UPSTREAM_UNSUBSCRIBE_GRACE", "2s")
                .withProperty("tickshard.health.schedule", "off")
                // The storm's answer times are measured and reported (docs/benchmarks.md), not
                // asserted: a starved CI box should answer late rather than 503.
                .withProperty("tickshard.api.ask-timeout", "15s"));
    broker = cluster.broker();
    timings = new Figures(cluster.logs().resolve("timings.txt"), "CLUSTER-PROOF");
  }

  @AfterAll
  static void stop() throws Exception {
    if (timings != null) {
      timings.write();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** 50 keys of three instruments each, in ticker mode, ids after {@code offset}. */
  private static List<ScreenerKey> keys(String screener, int offset) {
    return IntStream.range(0, KEYS)
        .mapToObj(
            k ->
                new ScreenerKey(
                    screener,
                    List.of(offset + 100 * k + 1, offset + 100 * k + 2, offset + 100 * k + 3),
                    "ticker"))
        .toList();
  }

  /** 600 starts of the 50 keys over {@code targets}; when they came is recorded under label. */
  private static List<Storm.Answer> storm(
      String label, List<ScreenerKey> stormed, Random random, List<NodeProcess> targets)
      throws Exception {
    List<Storm.Answer> answers = Storm.of(stormed, REQUESTS, targets, random);
    timings.put("storm." + label + ".answered-by (p50 p90 p99 max)", Storm.answeredBy(answers));
    return answers;
  }

  private static String nodeOf(String key) throws Exception {
    return StreamsApi.stream(cluster.serving(), key).path("node").asText();
  }

  /** The one socket carries every instrument of the 50 keys, once; nothing broke the promise. */
  private static void awaitEveryKeyCarried() {
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> broker.assertOneConnectionCarrying(carried));
    assertThat(broker.evictionsSinceMark()).isZero();
    broker.assertSharedPromise();
  }

  @Test
  @Order(1)
  void a_storm_of_600_starts_for_50_keys_from_three_nodes_starts_each_once_on_one_socket()
      throws Exception {
    Random random = new Random(2026);
    // A cluster that has served for a while, as one does at market open: fresh JVMs still
    // interpret and compile their code, so the first storm (on other keys, then stopped) is
    // measured apart.
    for (int round = 0; round < Integer.getInteger("proof.warm-rounds", 2); round++) {
      storm("warm-up-" + round, keys("warm" + round, 900_000), random, cluster.nodes());
      cluster.stopEveryStream();
    }
    broker.mark();

    List<Storm.Answer> answers = storm("measured", keys, random, cluster.nodes());
    Storm.assertAnswered(answers, 200, 201);
    Storm.assertOneStartedPerKey(answers, keys);
    awaitEveryKeyCarried();
    assertThat(broker.sinceMark()).as("connections the storm opened").hasSize(1);

    // The same storm again, on running streams: the same HTTP and sharding work with no stream to
    // start. Its time is the floor for the first one on this machine; it opens nothing.
    long opened = broker.state().stats().connectionsOpened();
    List<Storm.Answer> repeated = storm("again-on-running-streams", keys, random, cluster.nodes());
    assertThat(repeated)
        .allSatisfy(
            a -> assertThat(a.status()).as(a.response().body()).isEqualTo("already_running"));
    assertThat(broker.state().stats().connectionsOpened()).isEqualTo(opened);
  }

  @Test
  @Order(2)
  void
      a_killed_socket_owner_s_stream_runs_again_elsewhere_and_a_viewer_elsewhere_ticks_within_15_s()
          throws Exception {
    // The hardest kill: the node that owns the socket, and a key it hosts, so both move.
    NodeProcess host = cluster.at(Upstream.ownerOf(cluster.serving(), "slot-0"));
    String key = keys.get(0).key();
    for (ScreenerKey candidate : keys) {
      if (host.node().equals(nodeOf(candidate.key()))) {
        key = candidate.key();
        break;
      }
    }
    NodeProcess viewerNode = cluster.alive().stream().filter(n -> n != host).findFirst().get();
    try (SseViewer viewer = new SseViewer(viewerNode, key)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> viewer.ticks().size() >= 3);

      Instant killed = Instant.now();
      host.kill();

      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> viewer.firstTickReceivedAfter(killed) != null);
      Duration failover = Duration.between(killed, viewer.firstTickReceivedAfter(killed));
      timings.put("failover.kill-9", failover.toMillis() + " ms");
      JsonNode status = StreamsApi.stream(viewerNode, key);
      assertThat(status.get("status").asText()).isEqualTo("running");
      assertThat(status.get("node").asText()).isNotEqualTo(host.node());
    }
    awaitEveryKeyCarried();
  }

  @Test
  @Order(3)
  void a_leaving_node_hands_its_stream_over_with_a_gap_under_5_s_and_no_second_subscription()
      throws Exception {
    // The hardest leave: the oldest node, so the registry and the shard coordinator move too.
    String oldest =
        StreamsApi.getOk(cluster.serving().api() + "/api/v1/cluster").get("oldest").asText();
    String key = null;
    for (ScreenerKey candidate : keys) {
      if (oldest.equals(nodeOf(candidate.key()))) {
        key = candidate.key();
        break;
      }
    }
    assertThat(key).as("a key on the oldest node, %s", oldest).isNotNull();
    NodeProcess host = cluster.at(oldest);
    NodeProcess viewerNode = cluster.alive().stream().filter(n -> n != host).findFirst().get();
    try (SseViewer viewer = new SseViewer(viewerNode, key)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> viewer.ticks().size() >= 3);

      Instant leaving = Instant.now();
      assertThat(host.stop(Duration.ofSeconds(60))).as("the node leaves within a minute").isTrue();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> viewer.tickArrivedAfter(Instant.now().minusMillis(200)));
      Instant after = Instant.now();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> viewer.tickArrivedAfter(after.plusSeconds(2)));

      Duration gap = viewer.longestGapAfter(leaving.minusSeconds(1));
      timings.put("handoff.gap", gap.toMillis() + " ms");
      assertThat(gap).isLessThan(Duration.ofSeconds(5));
      assertThat(StreamsApi.stream(viewerNode, key).get("node").asText())
          .isEqualTo(viewerNode.node());
    }
    awaitEveryKeyCarried();
  }

  @Test
  @Order(4)
  void after_a_whole_cluster_restart_every_stream_comes_back_by_itself() throws Exception {
    cluster.stopAll();
    await().atMost(Duration.ofSeconds(30)).until(() -> broker.openCount() == 0);

    Instant restarted = Instant.now();
    cluster.startAll();

    awaitEveryKeyCarried();
    timings.put(
        "restart.all-streams-back", Duration.between(restarted, Instant.now()).toMillis() + " ms");
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        StreamsApi.field(cluster.node(0), "status").values().stream()
                            .filter("running"::equals)
                            .count())
                    .isEqualTo(KEYS));
    assertThat(keys)
        .allSatisfy(
            k ->
                assertThat(StreamsApi.status(cluster.node(1).api() + StreamsApi.path(k.key())))
                    .isEqualTo(200));
  }

  @Test
  @Order(5)
  void a_start_storm_on_remembered_keys_right_after_a_whole_cluster_restart_gets_no_503()
      throws Exception {
    cluster.stopAll();
    await().atMost(Duration.ofSeconds(30)).until(() -> broker.openCount() == 0);

    // As soon as every node is ready: shards are still being placed and moved between the nodes
    // that joined, and sharding drops what it buffered for a shard it hands off.
    cluster.startAll();
    List<Storm.Answer> answers = storm("after-restart", keys, new Random(7), cluster.nodes());

    Storm.assertAnswered(answers, 200, 201);
    awaitEveryKeyCarried();
  }

  @Test
  @Order(6)
  void start_storms_on_remembered_keys_while_a_node_joins_get_no_503() throws Exception {
    // A rolling restart's second half: a node left (its streams moved), a new one joins, and
    // sharding moves shards to it while callers keep starting their streams.
    assertThat(cluster.node(2).stop(Duration.ofSeconds(60))).isTrue();
    List<NodeProcess> serving = List.of(cluster.node(0), cluster.node(1));
    awaitEveryKeyCarried();

    NodeProcess joining = cluster.replace(2);
    Random random = new Random(11);
    List<Storm.Answer> answers = new ArrayList<>();
    int storms = 0;
    // Storms from before the node is up until shards have moved to it (rebalances run every
    // 10 s, a few shards at a time), and one more.
    Instant deadline = Instant.now().plusSeconds(90);
    boolean moved = false;
    while (!moved && Instant.now().isBefore(deadline)) {
      answers.addAll(storm("while-joining-" + storms++, keys, random, serving));
      moved = joining.alive() && joining.ready() && hostsAKey(joining);
    }
    answers.addAll(storm("while-joining-" + storms, keys, random, cluster.nodes()));
    timings.put("join.storms-until-a-shard-moved", String.valueOf(storms));

    assertThat(moved).as("a shard moved to the joining node within 90 s").isTrue();
    assertThat(answers)
        .allSatisfy(
            answer -> {
              assertThat(answer.response().statusCode())
                  .as(answer.response().body())
                  .isEqualTo(200);
              // Running, or (just moved, its placement not yet granted again) waiting for it.
              assertThat(answer.status())
                  .as(answer.response().body())
                  .isIn("already_running", "queued");
            });
    awaitEveryKeyCarried();
  }

  /** The node answers the listing, and the listing places one of the keys on it. */
  private static boolean hostsAKey(NodeProcess node) throws Exception {
    HttpResponse<String> listing;
    try {
      listing = StreamsApi.listing(node);
    } catch (IOException notListeningYet) {
      return false;
    }
    if (listing.statusCode() != 200) {
      return false;
    }
    for (JsonNode stream : StreamsApi.parse(listing.body()).path("streams")) {
      if (node.node().equals(stream.path("node").asText())
          && keys.stream().anyMatch(k -> k.key().equals(stream.path("key").asText()))) {
        return true;
      }
    }
    return false;
  }
}
