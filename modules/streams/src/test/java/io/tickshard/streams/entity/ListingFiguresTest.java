package io.tickshard.streams.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.FeedMode;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.registry.StreamListing;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.testkit.ClusterOfOne;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry's listing shows a dedicated stream's tick figures within a few seconds of the ticks,
 * not as of its connection's last heartbeat (30 s, the default here).
 */
class ListingFiguresTest {
  private static FeedSimulator simulator;
  private static ActorTestKit kit;
  private static Streams streams;

  @BeforeAll
  static void start() {
    simulator = FeedSimulator.start(SimulatorConfig.defaults().withMarket(50, 5));
    kit =
        ClusterOfOne.start(
            ClusterOfOne.config(EmbeddedDatabase.newDatabase(), simulator, Map.of()));
    streams =
        Streams.start(kit.system(), StreamTestConfig.settings(kit.system(), MarketHours.always()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    simulator.close();
  }

  @Test
  void the_listing_shows_ticks_within_seconds_of_them() {
    StreamKey key = StreamScenarios.key("fresh", 1333, 2885);
    assertThat(new StreamScenarios(kit).start(key, FeedMode.QUOTE))
        .isInstanceOf(StartReply.Started.class);

    await()
        .atMost(Duration.ofSeconds(6))
        .untilAsserted(
            () -> {
              TestProbe<StreamListing> probe = kit.createTestProbe();
              streams.registry().tell(new StreamRegistry.GetListing(probe.getRef()));
              StreamStatus listed = probe.receiveMessage().streams().get(0);
              assertThat(listed.ticks()).isPositive();
              assertThat(listed.lastTickAt()).isNotNull();
            });
  }
}
