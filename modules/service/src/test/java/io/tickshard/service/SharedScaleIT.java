package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.service.rig.BrokerSockets;
import io.tickshard.service.rig.Cluster;
import io.tickshard.service.rig.Figures;
import io.tickshard.service.rig.NodeHeap;
import io.tickshard.service.rig.NodeProcess;
import io.tickshard.service.rig.RunningKeys;
import io.tickshard.service.rig.ScreenerKey;
import io.tickshard.service.rig.SharedCluster;
import io.tickshard.service.rig.Storm;
import io.tickshard.service.rig.StreamsApi;
import io.tickshard.service.rig.Subscriptions;
import io.tickshard.service.rig.Upstream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A thousand keys of 20 instruments (5,000 distinct) ride on one socket of the default
 * configuration's pool, three JVMs: every key runs, every node answers the listing, the heap each
 * key costs is measured, and a stop-all closes the socket.
 */
@ExtendWith(SharedCluster.class)
class SharedScaleIT {
  private static final int KEYS = 1_000;
  private static final int WIDTH = 20;
  private static final int DISTINCT = 5_000;
  private static final int BASE = 100_000;
  private static final int IN_FLIGHT = 50;

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
  void a_thousand_keys_of_20_instruments_ride_on_one_socket_of_5000() throws Exception {
    List<ScreenerKey> keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      TreeSet<Integer> ids = new TreeSet<>();
      for (int j = 0; j < WIDTH; j++) {
        ids.add(BASE + (WIDTH / 4 * i + j) % DISTINCT);
      }
      keys.add(new ScreenerKey("scale", List.copyOf(ids), ScreenerKey.MODES.get(i % 3)));
    }
    Map<String, String> expected = Subscriptions.needed(keys);
    assertThat(expected).hasSize(DISTINCT);

    Map<String, Long> heapBefore = new LinkedHashMap<>();
    for (NodeProcess node : cluster.nodes()) {
      heapBefore.put(node.node(), NodeHeap.usedKib(node));
    }

    Random random = new Random(41);
    List<HttpRequest> requests = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      NodeProcess node = cluster.node(i % cluster.nodes().size());
      requests.add(StreamsApi.startRequest(node, keys.get(i).startBody(random)));
    }
    long began = System.nanoTime();
    List<Storm.Answer> answers = Storm.send(requests, IN_FLIGHT);
    figures.put(
        "scale.start-answer-times",
        Storm.answerTimes(answers)
            + ", all answered after "
            + (System.nanoTime() - began) / 1_000_000
            + " ms");
    Storm.assertAnswered(answers, 200, 201);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> broker.assertOneConnectionCarrying(expected));
    long subscribed = System.nanoTime();
    figures.put("scale.subscribed-after", (subscribed - began) / 1_000_000 + " ms");
    assertThat(broker.sinceMark()).as("connections opened for the keys").hasSize(1);
    assertThat(broker.evictionsSinceMark()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> Upstream.assertOneSocketCarrying(cluster.serving(), expected, KEYS, "slot-0"));

    // Every key running, as the listing says (from whichever node answers it); then each node's
    // own answer ("every node answers every call"), whose failure is reported at the end.
    Set<String> names = keys.stream().map(ScreenerKey::key).collect(Collectors.toSet());
    RunningKeys.Running running = RunningKeys.await(cluster, names, began, subscribed, "scale");
    figures.put("scale.first-listing", running.firstListing().toString());
    figures.put("scale.all-running-after", running.allRunningMs() + " ms");
    Map<String, String> listingAnswers = new TreeMap<>();
    for (NodeProcess node : cluster.alive()) {
      long asked = System.nanoTime();
      HttpResponse<String> answer = StreamsApi.listing(node);
      listingAnswers.put(
          node.node(),
          answer.statusCode()
              + " after "
              + (System.nanoTime() - asked) / 1_000_000
              + " ms, "
              + answer.body().length()
              + " chars"
              + (answer.statusCode() == 200 ? "" : ": " + answer.body()));
    }
    figures.put("scale.listing-per-node", listingAnswers.toString());
    figures.put("scale.socket-owner", Upstream.ownerOf(cluster.serving(), "slot-0"));

    Map<String, Long> heapAfter = heapWithTheSocketHeld();
    long before = heapBefore.values().stream().mapToLong(Long::longValue).sum();
    long after = heapAfter.values().stream().mapToLong(Long::longValue).sum();
    figures.put(
        "scale.keys-per-node",
        StreamsApi.getOk(cluster.serving().api() + "/api/v1/streams")
            .path("counts")
            .path("perNode")
            .toString());
    figures.put("scale.heap-used-before", heapBefore + " KiB");
    figures.put("scale.heap-used-after", heapAfter + " KiB");
    figures.put("scale.heap-per-key", (after - before) * 1024 / KEYS + " bytes");

    Cluster.Stopped stopped = cluster.stopEveryStream();
    stopped.refused().forEach(r -> figures.put("scale.stop-all-refused", r));
    figures.put("scale.stop-all-answered-after", stopped.answeredMs() + " ms");
    figures.put(
        "scale.socket-closed-after-stop-all",
        stopped.closedMs() + " ms (grace " + SharedCluster.GRACE.toMillis() + " ms)");
    broker.assertSharedPromise();
    assertThat(broker.evictionsSinceMark()).isZero();

    // Every node answers every call (docs/api.md), whatever node the registry runs on; a key
    // whose instruments a connected socket carries says so.
    List<String> failed = new ArrayList<>(stopped.refused());
    failed.addAll(running.late());
    listingAnswers.forEach(
        (node, answer) -> {
          if (!answer.startsWith("200 ")) {
            failed.add("GET /api/v1/streams on " + node + " answered " + answer);
          }
        });
    assertThat(failed).as("with 1,000 keys").isEmpty();
  }

  /**
   * Each node's heap in use. Ticks in flight (the mailboxes of a saturated socket owner) are not
   * what a key costs: the broker holds the socket's frames while the heap is measured (far less
   * than the 40 s after which a node calls a feed stale).
   */
  private static Map<String, Long> heapWithTheSocketHeld() throws Exception {
    assertThat(broker.state().stall(Optional.empty(), true)).isEqualTo(1);
    Map<String, Long> heap = new LinkedHashMap<>();
    try {
      for (NodeProcess node : cluster.nodes()) {
        heap.put(node.node(), NodeHeap.settledKib(node));
        // What the heap holds, for reading the figure: the live objects' classes, largest first.
        Files.writeString(
            cluster.logs().resolve("scale-heap-" + node.node().replace(':', '_') + ".txt"),
            NodeHeap.classHistogram(node).lines().limit(40).collect(Collectors.joining("\n"))
                + "\n");
      }
    } finally {
      broker.state().stall(Optional.empty(), false);
    }
    return heap;
  }
}
