package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.service.rig.BrokerSockets;
import io.tickshard.service.rig.CallsMeanwhile;
import io.tickshard.service.rig.Cluster;
import io.tickshard.service.rig.Figures;
import io.tickshard.service.rig.NodeProcess;
import io.tickshard.service.rig.RunningKeys;
import io.tickshard.service.rig.ScreenerKey;
import io.tickshard.service.rig.SharedCluster;
import io.tickshard.service.rig.SseViewer;
import io.tickshard.service.rig.Storm;
import io.tickshard.service.rig.StreamsApi;
import io.tickshard.service.rig.Subscriptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A rolling restart of the three nodes under load (issue 25): 50 keys on the shared socket, two
 * viewers on every node, control calls throughout, and a storm of starts of fresh keys as the first
 * node leaves and as the second one joins. Each node in turn gets SIGTERM, is replaced and awaited
 * ready, and the cluster settles before the next. Asserted: no instrument ever on two connections
 * at once and never more than the account's sockets (the simulator's timeline); no start, status or
 * stop answered 5xx, in the storms none 503 and each key started once; every viewer of a stopping
 * node told it is leaving; its viewers ticking again on another node, and the others ticking
 * throughout. The times (the longest silence of a viewer whose node stays up, a reconnected
 * viewer's first tick) are figures, with bounds only against a wedge: a starved CI box answers
 * late. The shared cluster's simulator ticks each instrument once a second, all in one burst: a
 * silence of about a second is its cadence.
 */
@ExtendWith(SharedCluster.class)
class SharedUpgradeRollIT {
  private static final int KEYS = 50;
  private static final Duration WEDGED = Duration.ofSeconds(10);

  private static Cluster cluster;
  private static BrokerSockets broker;
  private static Figures figures;
  private static final List<ScreenerKey> keys =
      ScreenerKey.overlapping("roll", KEYS, 40_000, 600, new Random(2031));

  /** Fresh keys started in a storm as the first node leaves, and as the second one joins. */
  private static final List<ScreenerKey> whileLeaving =
      ScreenerKey.overlapping("roll-leave", 20, 41_000, 300, new Random(2032));

  private static final List<ScreenerKey> whileJoining =
      ScreenerKey.overlapping("roll-join", 20, 42_000, 300, new Random(2033));

  private static final int STORM = 200;

  @BeforeAll
  static void keysRunning(Cluster shared) throws Exception {
    cluster = shared;
    broker = shared.broker();
    figures = new Figures(shared.logs().resolve("figures.txt"), "ROLL");
    RunningKeys.startOnOneSocket(cluster, keys, "roll");
  }

  @AfterAll
  static void report() throws Exception {
    figures.write();
  }

  @Test
  void a_roll_keeps_one_connection_per_instrument_no_5xx_and_every_viewer_ticking()
      throws Exception {
    List<ScreenerKey> running = new ArrayList<>(keys);
    List<SseViewer> viewers = new ArrayList<>();
    ScreenerKey churned = new ScreenerKey("roll-churn", List.of(39_001, 39_002), "quote");
    try (CallsMeanwhile calls = new CallsMeanwhile(cluster, keys, churned)) {
      for (int i = 0; i < 6; i++) {
        viewers.add(new SseViewer(cluster.node(i % 3), keys.get(i).key()));
      }

      for (int index = 0; index < 3; index++) {
        await().atMost(WEDGED).until(() -> viewers.stream().allMatch(v -> v.ticks().size() >= 3));
        NodeProcess old = cluster.node(index);
        List<SseViewer> cut = viewers.stream().filter(v -> v.node() == old).toList();
        List<SseViewer> watching = viewers.stream().filter(v -> v.node() != old).toList();
        calls.leaving(old);
        List<NodeProcess> staying = cluster.ready().stream().filter(n -> n != old).toList();
        Instant stopped = Instant.now();
        CompletableFuture<List<Storm.Answer>> leavingStorm =
            index == 0 ? storm(whileLeaving, staying) : CompletableFuture.completedFuture(null);
        assertThat(old.stop(Duration.ofSeconds(60))).as("%s leaves within a minute", old).isTrue();
        if (index == 0) {
          assertStormAnswered("storm-while-leaving", leavingStorm.join(), whileLeaving);
          running.addAll(whileLeaving);
        }
        figures.put("step%d.sigterm-to-exit".formatted(index + 1), ms(stopped, Instant.now()));

        List<String> resumed = new ArrayList<>();
        for (SseViewer viewer : cut) {
          await().atMost(WEDGED).until(() -> !viewer.named("leaving").isEmpty());
          viewer.close();
          NodeProcess elsewhere = cluster.node((index + 1) % 3);
          SseViewer again = new SseViewer(elsewhere, viewer.key());
          Instant reconnected = Instant.now();
          await().atMost(WEDGED).until(() -> again.firstTick() != null);
          resumed.add(ms(reconnected, again.firstTick()));
          viewers.set(viewers.indexOf(viewer), again);
        }
        figures.put(
            "step%d.reconnected-viewer-first-tick".formatted(index + 1), resumed.toString());

        NodeProcess fresh = cluster.replace(index);
        if (index == 1) {
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      StreamsApi.status(staying.get(0).api() + "/api/v1/cluster") == 200
                          && StreamsApi.get(staying.get(0).api() + "/api/v1/cluster")
                              .body()
                              .contains(fresh.node()));
          assertStormAnswered(
              "storm-while-joining", storm(whileJoining, staying).join(), whileJoining);
          running.addAll(whileJoining);
        }
        fresh.awaitReady();
        awaitSettled(fresh, running);
        // Viewers on the new node too, so that every step has viewers on both nodes that stay.
        for (int k = 0; k < 2; k++) {
          viewers.add(new SseViewer(fresh, keys.get(6 + 2 * index + k).key()));
        }
        List<String> gaps = new ArrayList<>();
        for (SseViewer viewer : watching) {
          Duration gap = viewer.longestGapAfter(stopped);
          gaps.add(gap.toMillis() + " ms");
          assertThat(gap).as("%s: longest silence while %s rolled", viewer, old).isLessThan(WEDGED);
        }
        figures.put(
            "step%d.longest-silence-of-staying-viewers".formatted(index + 1), gaps.toString());
        figures.put("step%d.sigterm-to-settled".formatted(index + 1), ms(stopped, Instant.now()));
      }
      calls.close();
      figures.put("calls", calls.counts().toString());
      figures.put("calls.unanswered", calls.unanswered().toString());
      StreamsApi.stop(cluster.node(0), churned.key());
      assertThat(calls.serverErrors()).as("answers 5xx during the roll").isEmpty();
    } finally {
      viewers.forEach(SseViewer::close);
    }
    broker.assertSharedPromise();
    assertThat(broker.evictionsSinceMark()).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> broker.assertOneConnectionCarrying(Subscriptions.needed(running)));
  }

  /** {@value #STORM} starts of {@code fresh} keys at once over {@code targets}, answered later. */
  private static CompletableFuture<List<Storm.Answer>> storm(
      List<ScreenerKey> fresh, List<NodeProcess> targets) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return Storm.of(fresh, STORM, targets, new Random(fresh.hashCode()));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** Every start answered 201 or 200 (no 503 while the cluster changes), one started per key. */
  private static void assertStormAnswered(
      String name, List<Storm.Answer> answers, List<ScreenerKey> fresh) {
    figures.put(name, Storm.answerTimes(answers));
    Storm.assertAnswered(answers, 200, 201);
    Storm.assertOneStartedPerKey(answers, fresh);
  }

  /** Three members up, every key running, the listing complete (asked of {@code node}). */
  private static void awaitSettled(NodeProcess node, List<ScreenerKey> running) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              var listing = StreamsApi.getOk(node.api() + "/api/v1/streams");
              assertThat(listing.path("complete").asBoolean()).isTrue();
              Map<String, String> statuses = StreamsApi.field(node, "status");
              assertThat(running)
                  .allSatisfy(
                      k -> assertThat(statuses.get(k.key())).as(k.key()).isEqualTo("running"));
              assertThat(cluster.ready()).hasSize(3);
            });
  }

  private static String ms(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() + " ms";
  }
}
