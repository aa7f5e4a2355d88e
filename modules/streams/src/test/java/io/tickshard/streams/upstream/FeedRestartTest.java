package io.tickshard.streams.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.simulator.SimulatorState;
import io.tickshard.streams.testkit.ClusterOfOne;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A connection that fails (here its sink throws) and is restarted by its supervisor, as {@code
 * UpstreamSocket} does: the failed incarnation's socket goes with it, so the broker sees one
 * connection, not a leaked one beside the new. On the real simulator.
 */
class FeedRestartTest {
  private static FeedSimulator simulator;
  private static ActorTestKit kit;

  @BeforeAll
  static void start() {
    simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults().withMarket(20, 11).withLimits(100, 5_000, 50));
    kit =
        ClusterOfOne.start(
            ClusterOfOne.config(
                EmbeddedDatabase.newDatabase(),
                simulator,
                Map.of("tickshard.feed.backoff.min", "200ms", "tickshard.feed.stale-after", "5s")));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    simulator.close();
  }

  @Test
  void a_restart_after_a_failure_leaves_no_socket_behind() {
    AtomicBoolean broken = new AtomicBoolean(true);
    AtomicLong ticks = new AtomicLong();
    TickSink sink =
        tick -> {
          if (broken.getAndSet(false)) {
            throw new IllegalStateException("a sink that breaks once (expected in this test)");
          }
          ticks.incrementAndGet();
        };
    TestProbe<FeedConnection.Update> parent = kit.createTestProbe();
    FeedSettings settings = FeedSettings.fromConfig(kit.system().settings().config());
    ActorRef<FeedConnection.Command> connection =
        kit.spawn(
            Behaviors.supervise(
                    FeedConnection.create(
                        new FeedSubscription(
                            "slot-test",
                            Map.of(Instrument.of(ExchangeSegment.NSE_EQ, 7), FeedMode.QUOTE)),
                        settings,
                        sink,
                        parent.getRef()))
                .onFailure(SupervisorStrategy.restart()));

    parent.expectMessageClass(FeedConnection.Connected.class, Duration.ofSeconds(10));
    // The first tick breaks it; the restarted one connects again.
    parent.expectMessageClass(FeedConnection.Connected.class, Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(10)).until(() -> ticks.get() > 0);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> simulator.state().connections().size() == 1);
    assertThat(simulator.state().connections()).hasSize(1);
    kit.stop(connection);
  }

  /** Each test starts with no connection open: the one before stops its own. */
  @AfterEach
  void noConnectionLeft() {
    await().atMost(Duration.ofSeconds(10)).until(() -> simulator.state().connections().isEmpty());
  }

  @Test
  void a_restart_subscribes_the_last_change_not_the_first_subscription() {
    AtomicBoolean breakOnNext = new AtomicBoolean(false);
    TickSink sink =
        tick -> {
          if (tick.securityId() == 9 && breakOnNext.getAndSet(false)) {
            throw new IllegalStateException("a sink that breaks once (expected in this test)");
          }
        };
    TestProbe<FeedConnection.Update> parent = kit.createTestProbe();
    FeedSettings settings = FeedSettings.fromConfig(kit.system().settings().config());
    Instrument eight = Instrument.of(ExchangeSegment.NSE_EQ, 8);
    Instrument nine = Instrument.of(ExchangeSegment.NSE_EQ, 9);
    ActorRef<FeedConnection.Command> connection =
        kit.spawn(
            Behaviors.supervise(
                    FeedConnection.create(
                        new FeedSubscription("slot-change", Map.of(eight, FeedMode.QUOTE)),
                        settings,
                        sink,
                        parent.getRef()))
                .onFailure(SupervisorStrategy.restart()));
    parent.expectMessageClass(FeedConnection.Connected.class, Duration.ofSeconds(10));
    long first = simulator.state().connections().get(0).id();

    // The parent sends a change once; then the connection breaks on the added instrument's tick.
    connection.tell(
        new FeedConnection.Resubscribe(
            new FeedSubscription("slot-change", Map.of(eight, FeedMode.QUOTE, nine, FeedMode.FULL)),
            FeedRequest.subscribe(FeedMode.FULL, List.of(nine))));
    breakOnNext.set(true);

    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              List<SimulatorState.ConnectionInfo> open = simulator.state().connections();
              return open.size() == 1
                  && open.get(0).id() != first
                  && open.get(0).instruments().stream()
                      .anyMatch(s -> s.securityId() == 9 && s.mode().equals("full"));
            });
    assertThat(simulator.state().connections().get(0).instruments())
        .extracting(SimulatorState.Subscription::securityId)
        .containsExactlyInAnyOrder(8, 9);
    kit.stop(connection);
  }
}
