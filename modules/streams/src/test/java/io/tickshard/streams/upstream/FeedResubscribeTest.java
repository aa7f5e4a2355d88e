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
import io.tickshard.streams.ticks.Tick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A connection whose subscription changes while it is open (what a shared socket needs, issue 13):
 * the changes go out on the open socket, no reconnect; after a reconnect the new set is subscribed
 * whole; ticks go to the sink it was given. On the real simulator.
 */
class FeedResubscribeTest {
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

  private static Instrument nse(int id) {
    return Instrument.of(ExchangeSegment.NSE_EQ, id);
  }

  private static FeedSubscription subscription(Object... instrumentsAndModes) {
    Map<Instrument, FeedMode> modes = new LinkedHashMap<>();
    for (int i = 0; i < instrumentsAndModes.length; i += 2) {
      modes.put(nse((Integer) instrumentsAndModes[i]), (FeedMode) instrumentsAndModes[i + 1]);
    }
    return new FeedSubscription("slot-test", modes);
  }

  /** The only open connection's instruments and their modes, as the simulator sees them. */
  private static Map<Integer, String> upstream() {
    List<SimulatorState.ConnectionInfo> open = simulator.state().connections();
    assertThat(open).hasSize(1);
    return open.get(0).instruments().stream()
        .collect(Collectors.toMap(SimulatorState.Subscription::securityId, s -> s.mode()));
  }

  @Test
  void changes_go_out_on_the_open_socket_and_a_reconnect_subscribes_the_new_set_whole() {
    Queue<Tick> ticks = new ConcurrentLinkedQueue<>();
    TestProbe<FeedConnection.Update> parent = kit.createTestProbe();
    FeedSettings settings = FeedSettings.fromConfig(kit.system().settings().config());
    ActorRef<FeedConnection.Command> connection =
        kit.spawn(
            FeedConnection.create(
                subscription(1, FeedMode.QUOTE, 2, FeedMode.QUOTE),
                settings,
                ticks::add,
                parent.getRef()));
    parent.expectMessageClass(FeedConnection.Connected.class, Duration.ofSeconds(10));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> upstream().equals(Map.of(1, "quote", 2, "quote")));
    long connectionId = simulator.state().connections().get(0).id();

    // Instrument 2 up to full, 3 added in ticker: unsubscribe first, then subscribe.
    List<FeedRequest> now =
        new ArrayList<>(FeedRequest.unsubscribe(FeedMode.QUOTE, List.of(nse(2))));
    now.addAll(FeedRequest.subscribe(FeedMode.FULL, List.of(nse(2))));
    now.addAll(FeedRequest.subscribe(FeedMode.TICKER, List.of(nse(3))));
    FeedSubscription next = subscription(1, FeedMode.QUOTE, 2, FeedMode.FULL, 3, FeedMode.TICKER);
    connection.tell(new FeedConnection.Resubscribe(next, now));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> upstream().equals(Map.of(1, "quote", 2, "full", 3, "ticker")));
    assertThat(simulator.state().connections().get(0).id())
        .as("no reconnect")
        .isEqualTo(connectionId);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                ticks.stream().anyMatch(t -> t.securityId() == 3 && t.kind().equals("ticker"))
                    && ticks.stream()
                        .anyMatch(t -> t.securityId() == 2 && t.kind().equals("full")));

    // The socket is lost: the next connect subscribes the new set, whole.
    simulator.state().drop(Optional.of(connectionId));
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                simulator.state().connections().size() == 1
                    && simulator.state().connections().get(0).id() != connectionId
                    && upstream().equals(Map.of(1, "quote", 2, "full", 3, "ticker")));

    TestProbe<FeedConnection.Snapshot> snapshot = kit.createTestProbe();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              connection.tell(
                  new FeedConnection.GetSnapshotOf(
                      List.of(nse(1), nse(2), nse(3)), snapshot.getRef()));
              assertThat(snapshot.receiveMessage().ticks())
                  .extracting(Tick::securityId)
                  .containsExactly(1, 2, 3);
            });
    kit.stop(connection);
  }

  @Test
  void a_mixed_subscription_describes_itself_per_mode_and_a_stream_s_own_as_before() {
    assertThat(subscription(1, FeedMode.QUOTE, 2, FeedMode.QUOTE).describe())
        .isEqualTo("2 instruments subscribed in quote mode");
    assertThat(subscription(1, FeedMode.FULL, 2, FeedMode.TICKER, 3, FeedMode.TICKER).describe())
        .isEqualTo("3 instruments subscribed (2 ticker, 1 full)");
    assertThat(subscription(4, FeedMode.FULL, 5, FeedMode.TICKER).requests())
        .extracting(FeedRequest::code)
        .extracting(Object::toString)
        .containsExactly("SUBSCRIBE_TICKER", "SUBSCRIBE_FULL");
  }
}
