package io.tickshard.streams.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.FeedMode;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.testkit.ClusterOfOne;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The journal, not the node, remembers what should run. */
class StreamRecoveryTest {
  private static FeedSimulator simulator;

  @BeforeAll
  static void start() {
    simulator = FeedSimulator.start(SimulatorConfig.defaults().withMarket(20, 9));
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  private static ActorTestKit node(EmbeddedDatabase.Database database) {
    ActorTestKit kit =
        ClusterOfOne.start(ClusterOfOne.config(database, simulator, StreamTestConfig.FAST_FEED));
    Streams.start(kit.system(), StreamTestConfig.settings(kit.system(), MarketHours.always()));
    return kit;
  }

  @Test
  void after_a_restart_on_the_same_database_started_streams_resume_by_themselves() {
    EmbeddedDatabase.Database database = EmbeddedDatabase.newDatabase();
    StreamKey running = StreamScenarios.key("survivor", 100, 101);
    StreamKey stopped = StreamScenarios.key("stopped", 102);

    ActorTestKit first = node(database);
    StreamScenarios before = new StreamScenarios(first);
    before.start(running, FeedMode.FULL);
    before.start(stopped, FeedMode.QUOTE);
    await()
        .atMost(StreamScenarios.WAIT)
        .until(() -> StreamScenarios.upstream(simulator, running).size() == 1);
    before.stop(stopped);
    // What is proved is the restart, not how fast the node stops: a message to a socket slot sent
    // while its shard is handed off waits in the region until the shutdown phase's 10 s run out
    // when no other node can take the shard (known; docs/architecture.md, "Tests").
    ActorTestKit.shutdown(first.system(), Duration.ofSeconds(30));
    await()
        .atMost(StreamScenarios.WAIT)
        .until(() -> simulator.state().stats().connectionsOpen() == 0);

    ActorTestKit second = node(database);
    try {
      // Nobody asks: remember-entities starts the stream, and it reconnects by itself.
      await()
          .atMost(StreamScenarios.WAIT)
          .untilAsserted(
              () ->
                  assertThat(StreamScenarios.upstream(simulator, running))
                      .singleElement()
                      .satisfies(c -> assertThat(c.instrumentsPerMode()).containsEntry("full", 2)));
      StreamScenarios after = new StreamScenarios(second);
      await()
          .atMost(StreamScenarios.WAIT)
          .until(() -> after.found(running).state() == StreamState.RUNNING);
      assertThat(after.found(stopped).state()).isEqualTo(StreamState.STOPPED);
      assertThat(StreamScenarios.upstream(simulator, stopped)).isEmpty();
    } finally {
      second.shutdownTestKit();
    }
  }

  @Test
  void an_acknowledged_start_comes_back_even_when_remember_entities_lost_its_records() {
    EmbeddedDatabase.Database database = EmbeddedDatabase.newDatabase();
    StreamKey key = StreamScenarios.key("unremembered", 110, 111);

    ActorTestKit first = node(database);
    assertThat(new StreamScenarios(first).start(key, FeedMode.QUOTE))
        .isInstanceOf(StartReply.Started.class);
    await()
        .atMost(StreamScenarios.WAIT)
        .until(() -> StreamScenarios.upstream(simulator, key).size() == 1);
    ActorTestKit.shutdown(first.system(), Duration.ofSeconds(30)); // as above
    await()
        .atMost(StreamScenarios.WAIT)
        .until(() -> simulator.state().stats().connectionsOpen() == 0);
    // As if the coordinator's and the shard's writes had failed after the start was acknowledged.
    EmbeddedDatabase.execute(
        database, "DELETE FROM event_journal WHERE persistence_id LIKE '/sharding/%'");
    EmbeddedDatabase.execute(
        database, "DELETE FROM snapshot WHERE persistence_id LIKE '/sharding/%'");

    ActorTestKit second = node(database);
    try {
      await()
          .atMost(StreamScenarios.WAIT)
          .until(() -> StreamScenarios.upstream(simulator, key).size() == 1);
      StreamScenarios after = new StreamScenarios(second);
      await()
          .atMost(StreamScenarios.WAIT)
          .until(() -> after.found(key).state() == StreamState.RUNNING);
    } finally {
      second.shutdownTestKit();
    }
  }
}
