package io.tickshard.streams.ticks;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.FeedMode;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.entity.StartReply;
import io.tickshard.streams.entity.StopReply;
import io.tickshard.streams.entity.StreamEntity;
import io.tickshard.streams.entity.StreamSettings;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.testkit.ClusterOfThree;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.FishingOutcome;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Viewers on every node of three (in one JVM, shared sockets) hear how their stream's feed stands:
 * its stop, asked on another node, with the reason; its socket reconnecting and running again; its
 * node dying (lost, at once), then the stream running on another node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FeedNoticesClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static FeedSimulator simulator;
  private static ClusterOfThree cluster;
  private static final List<Streams> streams = new ArrayList<>();

  @BeforeAll
  static void start() {
    simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults().withMarket(50, 31).withLimits(100, 5_000, 5));
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

  @Test
  @Order(1)
  void viewers_on_every_node_hear_a_stop_asked_on_another_with_its_reason() {
    StreamKey key = StreamKey.of("notices-stop", List.of("1333", "2885"));
    StreamStatus running = startRunning(1, key);
    List<TestProbe<ViewerEvent>> viewers = viewersEverywhere(key, running);

    TestProbe<StopReply> stopped = cluster.node(3).createTestProbe();
    StreamEntity.entityRefFor(cluster.node(3).system(), key)
        .tell(new StreamEntity.Stop("stopped by the desk", stopped.getRef()));
    assertThat(stopped.receiveMessage(WAIT)).isInstanceOf(StopReply.Stopped.class);

    for (TestProbe<ViewerEvent> viewer : viewers) {
      FeedNotice notice = awaitNotice(viewer, StreamState.STOPPED);
      assertThat(notice.reason()).isEqualTo("stopped by the desk");
      assertThat(notice.node()).isEqualTo(running.node());
    }
  }

  @Test
  @Order(2)
  void viewers_hear_the_socket_reconnect_and_run_again() {
    StreamKey key = StreamKey.of("notices-reconnect", List.of("11536", "1594"));
    List<TestProbe<ViewerEvent>> viewers = viewersEverywhere(key, startRunning(2, key));

    assertThat(simulator.state().drop(Optional.empty())).isPositive();

    for (TestProbe<ViewerEvent> viewer : viewers) {
      FeedNotice reconnecting = awaitNotice(viewer, StreamState.RECONNECTING);
      assertThat(reconnecting.reason()).isNotBlank();
      awaitNotice(viewer, StreamState.RUNNING);
    }
  }

  @Test
  @Order(3)
  void viewers_hear_their_stream_lost_with_its_node_then_running_on_another() {
    StreamKey key = StreamKey.of("notices-crash", List.of("4963", "3045"));
    StreamStatus running = startRunning(1, key);
    int host = nodeNumber(running.node());
    List<Integer> staying = IntStream.rangeClosed(1, 3).filter(n -> n != host).boxed().toList();
    List<TestProbe<ViewerEvent>> viewers = new ArrayList<>();
    staying.forEach(node -> viewers.add(viewer(node, key, running)));
    viewers.forEach(viewer -> viewer.fishForMessage(WAIT, e -> tickSeen(e)));

    cluster.crash(host);

    for (TestProbe<ViewerEvent> viewer : viewers) {
      FeedNotice lost = awaitNotice(viewer, StreamState.LOST);
      assertThat(lost.node()).isEqualTo(running.node());
      assertThat(lost.reason()).contains("unreachable");
      FeedNotice again = awaitNotice(viewer, StreamState.RUNNING, Duration.ofSeconds(60));
      assertThat(again.node()).isNotEqualTo(running.node());
    }
  }

  private static StreamStatus startRunning(int node, StreamKey key) {
    ActorTestKit kit = cluster.node(node);
    TestProbe<StartReply> started = kit.createTestProbe();
    StreamEntity.entityRefFor(kit.system(), key)
        .tell(new StreamEntity.Start(new StreamSpec(key, FeedMode.QUOTE), started.getRef()));
    assertThat(started.receiveMessage(WAIT)).isInstanceOf(StartReply.Started.class);
    return Awaitility.await()
        .atMost(WAIT)
        .until(() -> status(node, key), status -> status.state() == StreamState.RUNNING);
  }

  private static StreamStatus status(int node, StreamKey key) {
    ActorTestKit kit = cluster.node(node);
    TestProbe<StreamEntity.StatusReply> probe = kit.createTestProbe();
    StreamEntity.entityRefFor(kit.system(), key).tell(new StreamEntity.GetStatus(probe.getRef()));
    return ((StreamEntity.Found) probe.receiveMessage(WAIT)).status();
  }

  /** A viewer on each node, attached as the SSE route attaches one, each ticking. */
  private static List<TestProbe<ViewerEvent>> viewersEverywhere(
      StreamKey key, StreamStatus status) {
    List<TestProbe<ViewerEvent>> viewers = new ArrayList<>();
    for (int node = 1; node <= 3; node++) {
      viewers.add(viewer(node, key, status));
    }
    viewers.forEach(viewer -> viewer.fishForMessage(WAIT, e -> tickSeen(e)));
    return viewers;
  }

  private static TestProbe<ViewerEvent> viewer(int node, StreamKey key, StreamStatus status) {
    ActorTestKit kit = cluster.node(node);
    TestProbe<ViewerEvent> viewer = kit.createTestProbe();
    Done attached =
        AskPattern.<ViewerTopics.Request, Done>ask(
                streams.get(node - 1).topics(),
                replyTo ->
                    new ViewerTopics.Attach(
                        key, status.node(), status.state(), viewer.getRef()::tell, replyTo),
                WAIT,
                kit.system().scheduler())
            .toCompletableFuture()
            .join();
    assertThat(attached).isEqualTo(Done.getInstance());
    return viewer;
  }

  private static FishingOutcome tickSeen(ViewerEvent event) {
    return event instanceof TickBatch
        ? FishingOutcomes.complete()
        : FishingOutcomes.continueAndIgnore();
  }

  private static FeedNotice awaitNotice(TestProbe<ViewerEvent> viewer, StreamState state) {
    return awaitNotice(viewer, state, WAIT);
  }

  /** Skips ticks and other notices until one says {@code state}. */
  private static FeedNotice awaitNotice(
      TestProbe<ViewerEvent> viewer, StreamState state, Duration within) {
    List<ViewerEvent> seen =
        viewer.fishForMessage(
            within,
            event ->
                event instanceof FeedNotice notice && notice.state() == state
                    ? FishingOutcomes.complete()
                    : FishingOutcomes.continueAndIgnore());
    return (FeedNotice) seen.get(seen.size() - 1);
  }

  private static int nodeNumber(String name) {
    for (int i = 1; i <= 3; i++) {
      if (NodeName.of(cluster.node(i).system()).equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no node " + name);
  }
}
