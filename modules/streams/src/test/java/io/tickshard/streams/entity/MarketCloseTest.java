package io.tickshard.streams.entity;

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
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streams run only while the market is open, and stop themselves at the close. */
class MarketCloseTest {
  private static final Instant CLOSE = Instant.now().plusSeconds(6);
  private static final Instant NEXT_OPEN = CLOSE.plus(Duration.ofHours(17));

  /** A session that closes a few seconds after the test starts. */
  private static final MarketHours CLOSING_SOON =
      new MarketHours() {
        @Override
        public boolean isOpen(Instant at) {
          return at.isBefore(CLOSE);
        }

        @Override
        public Optional<Instant> nextOpen(Instant at) {
          return Optional.of(NEXT_OPEN);
        }

        @Override
        public Optional<Instant> nextClose(Instant at) {
          return at.isBefore(CLOSE) ? Optional.of(CLOSE) : Optional.empty();
        }

        @Override
        public String name() {
          return "closing-soon";
        }
      };

  private static FeedSimulator simulator;
  private static ActorTestKit kit;
  private static StreamScenarios scenarios;

  @BeforeAll
  static void start() {
    simulator = FeedSimulator.start(SimulatorConfig.defaults().withMarket(20, 5));
    kit =
        ClusterOfOne.start(
            ClusterOfOne.config(
                EmbeddedDatabase.newDatabase(), simulator, StreamTestConfig.FAST_FEED));
    Streams.start(kit.system(), StreamTestConfig.settings(kit.system(), CLOSING_SOON));
    scenarios = new StreamScenarios(kit);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    simulator.close();
  }

  @Test
  void at_the_close_a_running_stream_stops_itself_and_later_starts_are_refused() {
    StreamKey key = StreamScenarios.key("closing", 7, 8);
    assertThat(scenarios.start(key, FeedMode.QUOTE)).isInstanceOf(StartReply.Started.class);
    await()
        .atMost(StreamScenarios.WAIT)
        .until(() -> StreamScenarios.upstream(simulator, key).size() == 1);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              StreamStatus status = scenarios.found(key);
              assertThat(status.state()).isEqualTo(StreamState.STOPPED);
              assertThat(status.stopReason()).isEqualTo("market_closed");
            });
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> StreamScenarios.upstream(simulator, key).isEmpty());
    assertThat(Instant.now()).isAfterOrEqualTo(CLOSE);

    assertThat(scenarios.start(key, FeedMode.QUOTE))
        .isEqualTo(new StartReply.MarketClosed(NEXT_OPEN));
    assertThat(scenarios.start(StreamScenarios.key("late", 9), FeedMode.QUOTE))
        .isEqualTo(new StartReply.MarketClosed(NEXT_OPEN));
    assertThat(StreamScenarios.upstream(simulator, key)).isEmpty();
  }
}
