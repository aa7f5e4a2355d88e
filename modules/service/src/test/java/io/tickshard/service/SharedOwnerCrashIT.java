package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.service.rig.BrokerSockets;
import io.tickshard.service.rig.Cluster;
import io.tickshard.service.rig.Figures;
import io.tickshard.service.rig.NodeProcess;
import io.tickshard.service.rig.RunningKeys;
import io.tickshard.service.rig.ScreenerKey;
import io.tickshard.service.rig.SharedCluster;
import io.tickshard.service.rig.SseViewer;
import io.tickshard.service.rig.StreamsApi;
import io.tickshard.service.rig.Subscriptions;
import io.tickshard.service.rig.Upstream;
import io.tickshard.simulator.SimulatorState.TimelineEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node that owns the shared socket dies ({@code kill -9}), three JVMs on the default
 * configuration: the socket opens again on another node, never two connections carrying one
 * instrument at once, and viewers of keys hosted on the other nodes tick again within 15 s, still
 * only their instruments in their modes. The dead node is downed by a survivor that found its
 * cluster port refusing (GoneMembers: the crash failover of about 4 s, docs/benchmarks.md).
 */
@ExtendWith(SharedCluster.class)
class SharedOwnerCrashIT {
  private static final int KEYS = 50;

  private static Cluster cluster;
  private static BrokerSockets broker;
  private static Figures figures;
  private static final List<ScreenerKey> keys =
      ScreenerKey.overlapping("crash", KEYS, 30_000, 600, new Random(2028));

  @BeforeAll
  static void keysRunningOnOneSocket(Cluster shared) throws Exception {
    cluster = shared;
    broker = shared.broker();
    figures = new Figures(shared.logs().resolve("figures.txt"), "SHARED-SOCKETS");
    RunningKeys.startOnOneSocket(cluster, keys, "crash");
  }

  @AfterAll
  static void report() throws Exception {
    figures.write();
  }

  @Test
  void a_killed_socket_owner_s_socket_opens_elsewhere_and_viewers_on_other_nodes_tick_within_15_s()
      throws Exception {
    Map<String, String> expected = Subscriptions.needed(keys);
    String ownerName = Upstream.ownerOf(cluster.serving(), "slot-0");
    NodeProcess owner = cluster.at(ownerName);
    List<NodeProcess> others = cluster.alive().stream().filter(n -> n != owner).toList();
    assertThat(others).hasSize(2);
    long stormConnection = broker.open().get(0).id();

    // Two running keys hosted on each of the other nodes, in different modes where there are.
    Map<String, String> hosts = StreamsApi.field(cluster.serving(), "node");
    List<ScreenerKey> watched = new ArrayList<>();
    for (NodeProcess other : others) {
      List<ScreenerKey> there =
          keys.stream().filter(k -> other.node().equals(hosts.get(k.key()))).toList();
      assertThat(there).as("keys hosted on %s", other.node()).isNotEmpty();
      ScreenerKey first = there.get(0);
      watched.add(first);
      there.stream()
          .filter(k -> !k.mode().equals(first.mode()))
          .findFirst()
          .or(() -> there.stream().skip(1).findFirst())
          .ifPresent(watched::add);
    }
    List<SseViewer> viewers = new ArrayList<>();
    try {
      for (ScreenerKey key : watched) {
        viewers.add(new SseViewer(cluster.at(hosts.get(key.key())), key.key()));
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> viewers.stream().allMatch(v -> v.ticks().size() >= 3));

      Instant killed = Instant.now();
      owner.kill();

      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(viewers)
                      .as("viewers with a tick received after the kill")
                      .allSatisfy(v -> assertThat(v.firstTickReceivedAfter(killed)).isNotNull()));
      List<Long> back =
          viewers.stream()
              .map(v -> Duration.between(killed, v.firstTickReceivedAfter(killed)).toMillis())
              .toList();
      figures.put(
          "crash.every-viewer-ticking-again-after-kill-9",
          "%d ms (%d viewers on %d nodes: %s)"
              .formatted(
                  back.stream().mapToLong(Long::longValue).max().orElseThrow(),
                  viewers.size(),
                  others.size(),
                  back));
      for (int i = 0; i < viewers.size(); i++) {
        viewers.get(i).assertOnlyItsInstrumentsInItsMode(watched.get(i));
      }
      // The fast path was taken: a survivor found the dead node's cluster port refusing and
      // downed it (GoneMembers), rather than waiting for the failure detector and the resolver.
      assertThat(others)
          .as("survivors that downed the dead node as gone")
          .anySatisfy(
              other ->
                  assertThat(
                          StreamsApi.get(other.management() + "/metrics")
                              .body()
                              .lines()
                              .filter(l -> l.startsWith("tickshard_gone_members_downed_total "))
                              .map(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
                              .findFirst()
                              .orElse(0.0))
                      .isGreaterThanOrEqualTo(1.0));

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> broker.assertOneConnectionCarrying(expected));
      List<TimelineEntry> since = broker.sinceMark();
      assertThat(since).as("the socket and its successor").hasSize(2);
      TimelineEntry old = since.get(0);
      TimelineEntry successor = since.get(1);
      assertThat(old.id()).isEqualTo(stormConnection);
      figures.put(
          "crash.socket-reopened-after-kill-9",
          "%d ms (old closed %d ms after the kill)"
              .formatted(
                  Duration.between(killed, Instant.parse(successor.openedAt())).toMillis(),
                  Duration.between(killed, Instant.parse(old.closedAt())).toMillis()));
      broker.assertSharedPromise();
      assertThat(broker.evictionsSinceMark()).isZero();

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                Map<String, String> statuses = StreamsApi.field(cluster.serving(), "status");
                assertThat(keys)
                    .allSatisfy(
                        k -> assertThat(statuses.get(k.key())).as(k.key()).isEqualTo("running"));
              });
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                Upstream.assertOneSocketCarrying(cluster.serving(), expected, KEYS, "slot-0");
                assertThat(Upstream.ownerOf(cluster.serving(), "slot-0"))
                    .isNotEqualTo(ownerName)
                    .isIn(others.stream().map(NodeProcess::node).toList());
              });
    } finally {
      viewers.forEach(SseViewer::close);
    }
  }
}
