package io.tickshard.streams.entity;

import static io.tickshard.streams.entity.StreamScenarios.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.FeedMode;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.testkit.ClusterOfOne;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import io.tickshard.streams.ticks.TickBatch;
import io.tickshard.streams.ticks.TickViewer;
import io.tickshard.streams.ticks.ViewerEvent;
import io.tickshard.streams.ticks.ViewerTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code tickshard.streams.idle-stop-after} (2 s here): a running stream with no viewer and no
 * start or status call stops by itself, reason {@code idle}; a viewer on the node, or status calls,
 * keep it running. Its socket is watched at the simulator, which does not count as a use.
 */
class IdleStopTest {
  private static final Duration IDLE = Duration.ofSeconds(2);
  private static FeedSimulator simulator;
  private static ActorTestKit kit;
  private static Streams streams;
  private static StreamScenarios scenarios;

  @BeforeAll
  static void start() {
    simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults().withMarket(20, 11).withLimits(100, 5_000, 50));
    Map<String, Object> config = new HashMap<>(StreamTestConfig.FAST_FEED);
    config.put("tickshard.streams.idle-stop-after", IDLE.toMillis() + "ms");
    kit =
        ClusterOfOne.start(ClusterOfOne.config(EmbeddedDatabase.newDatabase(), simulator, config));
    streams =
        Streams.start(kit.system(), StreamTestConfig.settings(kit.system(), MarketHours.always()));
    scenarios = new StreamScenarios(kit);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    simulator.close();
  }

  private static boolean socketOpen(StreamKey key) {
    return !StreamScenarios.upstream(simulator, key).isEmpty();
  }

  private static void startAndAwaitSocket(StreamKey key) {
    scenarios.start(key, FeedMode.QUOTE);
    await().atMost(WAIT).until(() -> socketOpen(key));
  }

  @Test
  void a_stream_nobody_uses_stops_by_itself_after_the_idle_period() {
    StreamKey key = StreamScenarios.key("forgotten", 500);
    Instant asked = Instant.now(); // the period starts later, when the start is written
    startAndAwaitSocket(key);

    // Not before the period is over (watched at the simulator, which is not a use) ...
    Duration left = Duration.between(Instant.now(), asked.plus(IDLE).minusMillis(200));
    if (left.compareTo(Duration.ofMillis(100)) > 0) {
      await().during(left).atMost(left.plusSeconds(1)).until(() -> socketOpen(key));
    }
    // ... and soon after it.
    await().atMost(IDLE.plusSeconds(3)).until(() -> !socketOpen(key));

    StreamStatus stopped = scenarios.found(key);
    assertThat(stopped.state()).isEqualTo(StreamState.STOPPED);
    assertThat(stopped.stopReason()).isEqualTo("idle");
  }

  @Test
  void status_calls_keep_a_stream_running() {
    StreamKey key = StreamScenarios.key("watched-by-status", 510);
    startAndAwaitSocket(key);

    await()
        .during(IDLE.multipliedBy(3))
        .atMost(IDLE.multipliedBy(4))
        .pollInterval(Duration.ofMillis(700))
        .until(() -> scenarios.found(key).state() == StreamState.RUNNING && socketOpen(key));
    scenarios.stop(key);
  }

  @Test
  void a_viewer_on_the_node_keeps_a_stream_running_until_it_leaves() throws Exception {
    StreamKey key = StreamScenarios.key("watched-by-a-viewer", 520);
    startAndAwaitSocket(key);
    TestProbe<ViewerEvent> viewer = kit.createTestProbe();
    TickViewer seat = viewer.getRef()::tell;
    AskPattern.<ViewerTopics.Request, Done>ask(
            streams.topics(),
            replyTo -> new ViewerTopics.Attach(key, "here", StreamState.RUNNING, seat, replyTo),
            WAIT,
            kit.scheduler())
        .toCompletableFuture()
        .get();

    await().during(IDLE.multipliedBy(3)).atMost(IDLE.multipliedBy(4)).until(() -> socketOpen(key));
    viewer.fishForMessage(
        WAIT,
        event ->
            event instanceof TickBatch
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore()); // it was a real viewer: ticks reached it

    streams.topics().tell(new ViewerTopics.Detach(key, seat));
    await().atMost(IDLE.multipliedBy(2).plusSeconds(3)).until(() -> !socketOpen(key));
    assertThat(scenarios.found(key).stopReason()).isEqualTo("idle");
  }
}
