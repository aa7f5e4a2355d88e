package io.tickshard.streams.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.testkit.ClusterOfOne;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The journal warm-up at node start: it reads, writes nothing, and never holds a start up. */
class JournalWarmUpTest {
  private static FeedSimulator simulator;
  private static EmbeddedDatabase.Database database;

  @BeforeAll
  static void start() {
    simulator = FeedSimulator.start(SimulatorConfig.defaults());
    database = EmbeddedDatabase.newDatabase();
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void recovers_from_the_journal_once_and_leaves_nothing_in_it() throws Exception {
    ActorTestKit kit =
        ActorTestKit.create("tickshard", ClusterOfOne.config(database, simulator, Map.of()));
    try {
      Duration took =
          JournalWarmUp.run(kit.system(), Duration.ofSeconds(30))
              .toCompletableFuture()
              .get(40, TimeUnit.SECONDS);
      assertThat(took).isPositive();
      assertThat(EmbeddedDatabase.count(database, "SELECT count(*) FROM event_journal")).isZero();
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void ends_in_an_error_when_the_journal_cannot_be_reached() {
    // Nothing listens on port 1: the plugin cannot connect.
    ActorTestKit kit =
        ActorTestKit.create(
            "tickshard",
            ClusterOfOne.config(
                database,
                simulator,
                Map.of("tickshard.db.url", "jdbc:postgresql://127.0.0.1:1/tickshard")));
    try {
      assertThatThrownBy(
              () ->
                  JournalWarmUp.run(kit.system(), Duration.ofSeconds(3))
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
    } finally {
      kit.shutdownTestKit();
    }
  }
}
