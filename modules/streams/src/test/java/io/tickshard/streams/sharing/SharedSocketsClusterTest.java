package io.tickshard.streams.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.FeedMode;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.simulator.SimulatorState;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.entity.StartReply;
import io.tickshard.streams.entity.StreamEntity;
import io.tickshard.streams.entity.StreamSettings;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.registry.UpstreamListing;
import io.tickshard.streams.testkit.ClusterOfThree;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import io.tickshard.streams.ticks.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code shared} mode on three nodes in one JVM: keys started on every node ride on one socket;
 * when the node that owns it dies, the socket opens again on another node with the same
 * subscriptions and the keys' viewers on the other nodes get ticks again — and if that node also
 * hosted the registry, the new registry takes over what the socket carries instead of moving it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedSocketsClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static FeedSimulator simulator;
  private static ClusterOfThree cluster;
  private static final List<Streams> streams = new ArrayList<>();

  @BeforeAll
  static void start() {
    simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults().withMarket(100, 31).withLimits(100, 5_000, 5));
    Map<String, Object> config = new HashMap<>();
    config.put("tickshard.upstream.sharing", "shared");
    config.put("tickshard.upstream.unsubscribe-grace", "1s");
    config.put("tickshard.feed.heartbeat-interval", "500ms");
    config.put("tickshard.feed.backoff.min", "200ms");
    config.put("tickshard.feed.close-timeout", "1s");
    config.put("tickshard.streams.unknown-passivate-after", "2s");
    cluster = ClusterOfThree.start(EmbeddedDatabase.newDatabase(), simulator, config);
    for (ActorTestKit node : cluster.nodes) {
      streams.add(
          Streams.start(
              node.system(),
              StreamSettings.fromConfig(node.system().settings().config(), MarketHours.always())));
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
    simulator.close();
  }

  private static StreamKey key(String screener, int... ids) {
    return StreamKey.of(screener, IntStream.of(ids).mapToObj(String::valueOf).toList());
  }

  private static StartReply start(int node, StreamKey key, FeedMode mode) {
    ActorTestKit kit = cluster.node(node);
    TestProbe<StartReply> probe = kit.createTestProbe();
    StreamEntity.entityRefFor(kit.system(), key)
        .tell(new StreamEntity.Start(new StreamSpec(key, mode), probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  private static StreamStatus status(int node, StreamKey key) {
    ActorTestKit kit = cluster.node(node);
    TestProbe<StreamEntity.StatusReply> probe = kit.createTestProbe();
    StreamEntity.entityRefFor(kit.system(), key).tell(new StreamEntity.GetStatus(probe.getRef()));
    return ((StreamEntity.Found) probe.receiveMessage(WAIT)).status();
  }

  private static UpstreamListing upstream(int node) {
    TestProbe<UpstreamListing> probe = cluster.node(node).createTestProbe();
    streams.get(node - 1).registry().tell(new StreamRegistry.GetUpstream(probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  private static Map<Integer, String> subscribed() {
    return SharingProbes.subscribed(simulator);
  }

  private static TestProbe<Tick> viewer(int node, StreamKey key) {
    return SharingProbes.viewer(cluster.node(node), streams.get(node - 1), key, WAIT);
  }

  private static int nodeNumber(String name) {
    for (int i = 1; i <= 3; i++) {
      if (NodeName.of(cluster.node(i).system()).equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no node " + name);
  }

  private static final StreamKey[] KEYS = {
    key("a", 1333, 2885, 11536), key("b", 11536, 1594, 4963), key("c", 1594, 3045, 1333)
  };
  private static final Map<Integer, String> EXPECTED =
      Map.of(
          1333, "quote", 2885, "quote", 11536, "full", 1594, "full", 4963, "full", 3045, "ticker");

  @Test
  @Order(1)
  void when_the_socket_owner_dies_the_socket_opens_elsewhere_with_its_subscriptions() {
    StreamKey[] keys = KEYS;
    FeedMode[] modes = {FeedMode.QUOTE, FeedMode.FULL, FeedMode.TICKER};
    for (int i = 0; i < keys.length; i++) {
      assertThat(start(i + 1, keys[i], modes[i])).isInstanceOf(StartReply.Started.class);
    }
    Map<Integer, String> expected = EXPECTED;
    await().atMost(WAIT).untilAsserted(() -> assertThat(subscribed()).isEqualTo(expected));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (int i = 0; i < keys.length; i++) {
                assertThat(status(i + 1, keys[i]).state()).isEqualTo(StreamState.RUNNING);
              }
            });
    UpstreamListing before = upstream(2);
    assertThat(before.sockets()).hasSize(1);
    int owner = nodeNumber(before.sockets().get(0).status().node());
    long socketBefore = simulator.state().connections().get(0).id();

    // Viewers of every key, on the two nodes that stay.
    List<Integer> staying = IntStream.rangeClosed(1, 3).filter(n -> n != owner).boxed().toList();
    List<TestProbe<Tick>> viewers = new ArrayList<>();
    for (StreamKey key : keys) {
      for (int node : staying) {
        viewers.add(viewer(node, key));
      }
    }
    viewers.forEach(v -> v.receiveMessage(WAIT)); // ticking before the crash

    cluster.crash(owner);

    // A new socket, the same subscriptions, ticks at every viewer again.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(simulator.state().connections()).hasSize(1);
              assertThat(simulator.state().connections().get(0).id()).isNotEqualTo(socketBefore);
              assertThat(subscribed()).isEqualTo(expected);
            });
    for (TestProbe<Tick> viewer : viewers) {
      viewer.receiveMessage(WAIT);
    }
    int asked = staying.get(0);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              UpstreamListing after = upstream(asked);
              assertThat(after.complete()).isTrue();
              assertThat(after.socketsInUse()).isEqualTo(1);
              assertThat(after.instrumentsInUse()).isEqualTo(expected.size());
              assertThat(after.sockets().get(0).status().node())
                  .isNotEqualTo(before.sockets().get(0).status().node());
              assertThat(after.sockets().get(0).status().state()).isEqualTo(SocketState.CONNECTED);
            });
    assertThat(simulator.state().stats().evictions()).isZero();
    crashed = owner;
  }

  private static int crashed;

  /**
   * The oldest node left hosts the registry; it leaves politely. Whether it also owns the socket
   * (the socket is handed over) or not (the new registry takes over what the socket carries), the
   * last node runs every key on one socket with the same subscriptions, and no instrument is ever
   * on two open sockets.
   */
  @Test
  @Order(2)
  void when_the_registry_node_leaves_the_last_node_carries_the_same_subscriptions() {
    List<Integer> alive = IntStream.rangeClosed(1, 3).filter(n -> n != crashed).boxed().toList();
    int leaving = alive.get(0); // the oldest of the two: the singleton's host
    int staying = alive.get(1);
    List<TestProbe<Tick>> viewers = new ArrayList<>();
    for (StreamKey key : KEYS) {
      viewers.add(viewer(staying, key));
    }
    viewers.forEach(v -> v.receiveMessage(WAIT));
    long subscribesBefore = simulator.state().stats().subscribeMessages();

    CoordinatedShutdown.get(cluster.node(leaving).system())
        .run(CoordinatedShutdown.unknownReason());

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              UpstreamListing after = upstream(staying);
              assertThat(after.complete()).isTrue();
              assertThat(after.socketsInUse()).isEqualTo(1);
              assertThat(after.sockets().get(0).status().node())
                  .isEqualTo(NodeName.of(cluster.node(staying).system()));
              assertThat(after.sockets().get(0).status().state()).isEqualTo(SocketState.CONNECTED);
              assertThat(subscribed()).isEqualTo(EXPECTED);
            });
    for (TestProbe<Tick> viewer : viewers) {
      viewer.receiveMessage(WAIT);
    }
    for (StreamKey key : KEYS) {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(status(staying, key).state()).isEqualTo(StreamState.RUNNING));
    }
    assertThat(neverTwoSocketsForOneInstrument()).isTrue();
    // A socket that stayed is not re-subscribed: at most one socket's worth was sent again.
    assertThat(simulator.state().stats().subscribeMessages() - subscribesBefore)
        .isLessThanOrEqualTo(3);
  }

  /** From the simulator's timeline: no two connections open at once shared an instrument. */
  private static boolean neverTwoSocketsForOneInstrument() {
    List<SimulatorState.TimelineEntry> timeline = simulator.state().timeline();
    for (int i = 0; i < timeline.size(); i++) {
      for (int j = i + 1; j < timeline.size(); j++) {
        SimulatorState.TimelineEntry a = timeline.get(i);
        SimulatorState.TimelineEntry b = timeline.get(j);
        boolean overlap =
            (a.closedAt() == null
                    || Instant.parse(b.openedAt()).isBefore(Instant.parse(a.closedAt())))
                && (b.closedAt() == null
                    || Instant.parse(a.openedAt()).isBefore(Instant.parse(b.closedAt())));
        if (overlap && a.instruments().stream().anyMatch(b.instruments()::contains)) {
          return false;
        }
      }
    }
    return true;
  }
}
