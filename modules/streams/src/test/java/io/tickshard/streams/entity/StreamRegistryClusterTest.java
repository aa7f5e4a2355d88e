package io.tickshard.streams.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.FeedMode;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.registry.HealthReport;
import io.tickshard.streams.registry.StreamListing;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.registry.UpstreamListing;
import io.tickshard.streams.testkit.ClusterOfThree;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The {@code dedicated} placement policy (a socket slot per key) on a three-node cluster: the
 * broker connection budget holds under concurrent starts from every node, the health check restarts
 * a stuck stream's socket, when the node hosting the registry dies, a new registry counts
 * everything again, and when it leaves, it hands its sockets over first. (The default policy's
 * cluster scenarios are in {@code SharedSocketsClusterTest} and {@code FeedNoticesClusterTest}.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StreamRegistryClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int BUDGET = 5;

  private static FeedSimulator simulator;
  private static ClusterOfThree cluster;
  private static final List<Streams> streams = new ArrayList<>();

  @BeforeAll
  static void start() {
    // The simulator enforces the broker's own limit: a 6th socket would evict one (805).
    simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults().withMarket(10, 21).withLimits(100, 5_000, BUDGET));
    Map<String, Object> config = new HashMap<>();
    config.put("tickshard.upstream.sharing", "dedicated");
    config.put("tickshard.budget.max-connections", BUDGET);
    config.put("tickshard.feed.heartbeat-interval", "500ms");
    // The feed would notice a stall itself after this long: longer than the test, so that only
    // the health check can be what restarts a stuck stream.
    config.put("tickshard.feed.stale-after", "5m");
    config.put("tickshard.feed.backoff.min", "200ms");
    config.put("tickshard.feed.close-timeout", "1s");
    config.put("tickshard.health.schedule", "*/1 * * * * *");
    config.put("tickshard.health.stale-after", "2s");
    config.put("tickshard.streams.unknown-passivate-after", "2s");
    cluster = ClusterOfThree.start(EmbeddedDatabase.newDatabase(), simulator, config);
    for (ActorTestKit node : cluster.nodes) {
      streams.add(
          Streams.start(
              node.system(), StreamTestConfig.settings(node.system(), MarketHours.always())));
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
    simulator.close();
  }

  private static StreamScenarios on(int node) {
    return new StreamScenarios(cluster.node(node));
  }

  private static ActorRef<StreamRegistry.Command> registry(int node) {
    return streams.get(node - 1).registry();
  }

  private static StreamListing listing(int node) {
    TestProbe<StreamListing> probe = cluster.node(node).createTestProbe();
    registry(node).tell(new StreamRegistry.GetListing(probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  /** The socket slots open on {@code node}, as the registry sees them. */
  private static List<String> socketsOn(String node) {
    TestProbe<UpstreamListing> probe = cluster.node(3).createTestProbe();
    registry(3).tell(new StreamRegistry.GetUpstream(probe.getRef()));
    return probe.receiveMessage(WAIT).sockets().stream()
        .filter(socket -> socket.status() != null && node.equals(socket.status().node()))
        .map(UpstreamListing.Socket::id)
        .toList();
  }

  private static long running(StreamListing listing) {
    return listing.streams().stream().filter(s -> s.state() == StreamState.RUNNING).count();
  }

  private static void stopAll(int node) {
    for (StreamStatus status : listing(node).streams()) {
      on(node).stop(status.key());
    }
    await().atMost(WAIT).until(() -> simulator.state().stats().connectionsOpen() == 0);
  }

  @Test
  @Order(1)
  void ten_concurrent_starts_from_three_nodes_with_a_budget_of_five_open_exactly_five_sockets() {
    List<StreamKey> keys = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      keys.add(StreamScenarios.key("budget", 1_000 + i));
    }
    // Every start sent before any answer arrives, each from a different node in turn.
    List<TestProbe<StartReply>> probes = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      ActorTestKit node = cluster.nodes.get(i % 3);
      TestProbe<StartReply> probe = node.createTestProbe();
      StreamEntity.entityRefFor(node.system(), keys.get(i))
          .tell(
              new StreamEntity.Start(new StreamSpec(keys.get(i), FeedMode.TICKER), probe.getRef()));
      probes.add(probe);
    }
    List<StartReply> replies = probes.stream().map(p -> p.receiveMessage(WAIT)).toList();

    assertThat(replies).filteredOn(StartReply.Started.class::isInstance).hasSize(BUDGET);
    assertThat(replies)
        .filteredOn(StartReply.BudgetExhausted.class::isInstance)
        .hasSize(keys.size() - BUDGET)
        .allSatisfy(r -> assertThat(((StartReply.BudgetExhausted) r).holders()).hasSize(BUDGET));
    await().atMost(WAIT).until(() -> simulator.state().stats().connectionsOpen() == BUDGET);
    await().atMost(WAIT).until(() -> running(listing(2)) == BUDGET);
    assertThat(simulator.state().stats().evictions()).isZero();

    // Stopping one frees its slot for a refused key.
    StreamKey started =
        keys.get(
            replies.indexOf(
                replies.stream().filter(StartReply.Started.class::isInstance).findFirst().get()));
    StreamKey refused =
        keys.get(
            replies.indexOf(
                replies.stream()
                    .filter(StartReply.BudgetExhausted.class::isInstance)
                    .findFirst()
                    .get()));
    assertThat(on(3).stop(started)).isInstanceOf(StopReply.Stopped.class);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(on(2).start(refused, FeedMode.TICKER))
                    .isInstanceOf(StartReply.Started.class));
    await().atMost(WAIT).until(() -> running(listing(1)) == BUDGET);
    assertThat(simulator.state().stats().connectionsOpen()).isEqualTo(BUDGET);
    assertThat(simulator.state().stats().evictions()).isZero();
    stopAll(1);
  }

  @Test
  @Order(2)
  void the_health_check_restarts_a_stream_whose_socket_is_stuck() {
    StreamKey key = StreamScenarios.key("stuck", 2_001, 2_002);
    on(2).start(key, FeedMode.QUOTE);
    await().atMost(WAIT).until(() -> StreamScenarios.upstream(simulator, key).size() == 1);
    long stuck = StreamScenarios.upstream(simulator, key).get(0).id();

    simulator.state().stall(Optional.of(stuck), true);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(StreamScenarios.upstream(simulator, key))
                    .singleElement()
                    .satisfies(c -> assertThat(c.id()).isNotEqualTo(stuck)));
    assertThat(on(1).found(key).lastError()).contains("health check");
    TestProbe<HealthReport> probe = cluster.node(3).createTestProbe();
    registry(3).tell(new StreamRegistry.GetHealth(probe.getRef()));
    HealthReport report = probe.receiveMessage(WAIT);
    assertThat(report.ranAt()).isNotNull();
    assertThat(report.nextRunAt()).isAfter(report.ranAt());
    assertThat(report.summary()).startsWith("health: ").contains("budget ");
    stopAll(1);
  }

  @Test
  @Order(3)
  void when_the_node_hosting_the_registry_dies_a_new_registry_counts_every_stream_again() {
    List<StreamKey> keys =
        List.of(
            StreamScenarios.key("survive", 3_001),
            StreamScenarios.key("survive", 3_002),
            StreamScenarios.key("survive", 3_003),
            StreamScenarios.key("survive", 3_004));
    for (int i = 0; i < keys.size(); i++) {
      on(1 + i % 3).start(keys.get(i), FeedMode.TICKER);
    }
    await().atMost(WAIT).until(() -> running(listing(2)) == keys.size());
    assertThat(listing(2).perNode()).containsKey(NodeName.of(cluster.node(1).system()));
    String dead = NodeName.of(cluster.node(1).system());

    // Node 1 is the oldest: it hosts the registry. It dies without leaving.
    cluster.crash(1);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              StreamListing listing = listing(2);
              assertThat(listing.complete()).isTrue();
              assertThat(running(listing)).isEqualTo(keys.size());
              assertThat(listing.perNode()).doesNotContainKey(dead);
              assertThat(listing.perNode().values().stream().mapToInt(Integer::intValue).sum())
                  .isEqualTo(keys.size());
            });
    // What the registry counts is what the broker sees, and nothing was evicted.
    assertThat(simulator.state().stats().connectionsOpen()).isEqualTo(keys.size());
    assertThat(simulator.state().stats().evictions()).isZero();
  }

  @Test
  @Order(4)
  void when_the_oldest_node_leaves_its_streams_run_elsewhere_before_it_leaves_the_cluster() {
    // After the crash above, node 2 is the oldest: the registry and shard coordinator run there.
    ActorTestKit leaving = cluster.node(2);
    String leavingNode = NodeName.of(leaving.system());
    List<String> moving = socketsOn(leavingNode);
    assertThat(moving).isNotEmpty();
    long open = simulator.state().stats().connectionsOpen();
    long opened = simulator.state().stats().connectionsOpened();
    TestProbe<ClusterEvent.MemberLeft> left = cluster.node(3).createTestProbe();
    Cluster.get(cluster.node(3).system())
        .subscriptions()
        .tell(Subscribe.create(left.getRef(), ClusterEvent.MemberLeft.class));

    CoordinatedShutdown.get(leaving.system()).run(CoordinatedShutdown.unknownReason());

    left.fishForMessage(
        WAIT,
        event ->
            event.member().address().equals(Cluster.get(leaving.system()).selfMember().address())
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
    // The node began to leave only once its sockets were open on another node, so the
    // coordinator and registry that placed them were still there to do it.
    assertThat(simulator.state().stats().connectionsOpened()).isEqualTo(opened + moving.size());
    assertThat(simulator.state().stats().connectionsOpen()).isEqualTo(open);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              StreamListing listing = listing(3);
              assertThat(listing.complete()).isTrue();
              assertThat(running(listing)).isEqualTo(open);
              assertThat(listing.perNode()).containsOnlyKeys(NodeName.of(cluster.node(3).system()));
            });
    assertThat(simulator.state().stats().evictions()).isZero();
  }
}
