package io.tickshard.streams.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.Instrument;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.registry.StreamListing;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.testkit.ClusterOfOne;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import io.tickshard.streams.ticks.Tick;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stream's life on one node, checked from both sides: what the entity says, and what the
 * simulator (standing in for the broker) sees on its sockets.
 */
class StreamEntityTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  private static FeedSimulator simulator;
  private static EmbeddedDatabase.Database database;
  private static ActorTestKit kit;
  private static StreamScenarios scenarios;
  private static Streams streams;

  @BeforeAll
  static void start() {
    simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults().withMarket(20, 11).withLimits(100, 5_000, 50));
    database = EmbeddedDatabase.newDatabase();
    kit = ClusterOfOne.start(ClusterOfOne.config(database, simulator, StreamTestConfig.FAST_FEED));
    streams =
        Streams.start(kit.system(), StreamTestConfig.settings(kit.system(), MarketHours.always()));
    scenarios = new StreamScenarios(kit);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    simulator.close();
  }

  @AfterEach
  void clearFaults() {
    simulator.state().clearFaults();
  }

  private static void awaitRunningWithTicks(StreamKey key) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              StreamStatus status = scenarios.found(key);
              assertThat(status.state()).isEqualTo(StreamState.RUNNING);
              assertThat(status.ticks()).isPositive();
            });
  }

  @Test
  void start_runs_the_stream_with_ticks_on_exactly_one_upstream_socket() {
    StreamKey key = StreamScenarios.key("swing", 3, 1, 2, 2);
    assertThat(key.value()).isEqualTo("type:swing|ids:1,2,3");

    StartReply reply = scenarios.start(key, FeedMode.QUOTE);

    assertThat(reply).isInstanceOf(StartReply.Started.class);
    awaitRunningWithTicks(key);
    StreamStatus status = scenarios.found(key);
    assertThat(status.key()).isEqualTo(key);
    assertThat(status.mode()).isEqualTo(FeedMode.QUOTE);
    assertThat(status.instruments()).isEqualTo(3);
    assertThat(status.node()).startsWith("127.0.0.1:");
    assertThat(status.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(status.startedAt()).isNotNull();
    assertThat(status.lastTickAt()).isNotNull();
    assertThat(status.sockets()).containsExactly("slot-0");
    // One socket carries them, each instrument once, in the key's mode.
    assertThat(StreamScenarios.upstream(simulator, key)).hasSize(1);
    assertThat(StreamScenarios.subscriptions(simulator, key))
        .isEqualTo(StreamScenarios.onceIn(key, FeedMode.QUOTE));
  }

  @Test
  void a_second_start_is_already_running_and_opens_no_second_socket() {
    StreamKey key = StreamScenarios.key("momentum", 10, 11);
    scenarios.start(key, FeedMode.TICKER);
    awaitRunningWithTicks(key);
    long opened = simulator.state().stats().connectionsOpened();

    assertThat(scenarios.start(key, FeedMode.TICKER)).isInstanceOf(StartReply.AlreadyRunning.class);
    assertThat(scenarios.start(StreamKey.parse("type:momentum|ids:11,10,10"), FeedMode.TICKER))
        .isInstanceOf(StartReply.AlreadyRunning.class);

    assertThat(simulator.state().stats().connectionsOpened()).isEqualTo(opened);
    assertThat(StreamScenarios.subscriptions(simulator, key))
        .isEqualTo(StreamScenarios.onceIn(key, FeedMode.TICKER));
  }

  @Test
  void starts_that_arrive_together_get_one_started_and_the_rest_queued_or_a_conflict() {
    StreamKey key = StreamScenarios.key("together", 36, 37);
    List<TestProbe<StartReply>> probes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      // All sent before the first is decided; they wait on the same slot request.
      TestProbe<StartReply> probe = kit.createTestProbe();
      FeedMode mode = i == 5 ? FeedMode.QUOTE : FeedMode.TICKER;
      scenarios.entity(key).tell(new StreamEntity.Start(new StreamSpec(key, mode), probe.getRef()));
      probes.add(probe);
    }
    List<StartReply> replies = probes.stream().map(probe -> probe.receiveMessage(WAIT)).toList();

    assertThat(replies.get(0)).isInstanceOf(StartReply.Started.class);
    assertThat(replies.get(5)).isInstanceOf(StartReply.ModeConflict.class);
    assertThat(IntStream.range(1, 8).filter(i -> i != 5).mapToObj(replies::get))
        .hasSize(6)
        .allSatisfy(
            reply ->
                assertThat(reply)
                    .isInstanceOfAny(StartReply.Queued.class, StartReply.AlreadyRunning.class));
    await()
        .atMost(WAIT)
        .until(
            () ->
                StreamScenarios.subscriptions(simulator, key)
                    .equals(StreamScenarios.onceIn(key, FeedMode.TICKER)));
    assertThat(StreamScenarios.upstream(simulator, key)).hasSize(1);
  }

  @Test
  void starting_a_running_key_in_another_mode_is_a_conflict() {
    StreamKey key = StreamScenarios.key("conflict", 20);
    scenarios.start(key, FeedMode.QUOTE);
    StartReply reply = scenarios.start(key, FeedMode.FULL);
    assertThat(reply)
        .isInstanceOfSatisfying(
            StartReply.ModeConflict.class,
            conflict -> {
              assertThat(conflict.runningMode()).isEqualTo(FeedMode.QUOTE);
              assertThat(conflict.requestedMode()).isEqualTo(FeedMode.FULL);
            });
  }

  @Test
  void a_stop_unsubscribes_its_instruments_after_the_grace() {
    StreamKey key = StreamScenarios.key("stopper", 30, 31);
    scenarios.start(key, FeedMode.QUOTE);
    awaitRunningWithTicks(key);
    assertThat(StreamScenarios.upstream(simulator, key)).hasSize(1);

    assertThat(scenarios.stop(key)).isInstanceOf(StopReply.Stopped.class);

    // The grace is 1 s in these tests.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> StreamScenarios.upstream(simulator, key).isEmpty());
    StreamStatus status = scenarios.found(key);
    assertThat(status.state()).isEqualTo(StreamState.STOPPED);
    assertThat(status.stopReason()).isEqualTo("test");
    // A retried stop answers as the first did, and changes nothing.
    assertThat(scenarios.stop(key))
        .isInstanceOfSatisfying(
            StopReply.AlreadyStopped.class,
            again -> assertThat(again.status().stoppedAt()).isEqualTo(status.stoppedAt()));
  }

  @Test
  void a_stopped_key_can_be_started_again() {
    StreamKey key = StreamScenarios.key("again", 40);
    scenarios.start(key, FeedMode.TICKER);
    awaitRunningWithTicks(key);
    scenarios.stop(key);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> StreamScenarios.upstream(simulator, key).isEmpty());

    assertThat(scenarios.start(key, FeedMode.TICKER)).isInstanceOf(StartReply.Started.class);
    awaitRunningWithTicks(key);
    assertThat(StreamScenarios.subscriptions(simulator, key))
        .isEqualTo(StreamScenarios.onceIn(key, FeedMode.TICKER));
  }

  @Test
  void when_the_simulator_drops_the_socket_it_reconnects_and_resubscribes_everything() {
    StreamKey key = StreamScenarios.key("dropped", 50, 51, 52);
    scenarios.start(key, FeedMode.FULL);
    awaitRunningWithTicks(key);
    long firstConnection = StreamScenarios.upstream(simulator, key).get(0).id();

    simulator.state().drop(Optional.of(firstConnection));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(StreamScenarios.upstream(simulator, key))
                  .singleElement()
                  .satisfies(c -> assertThat(c.id()).isNotEqualTo(firstConnection));
              assertThat(StreamScenarios.subscriptions(simulator, key))
                  .isEqualTo(StreamScenarios.onceIn(key, FeedMode.FULL));
            });
    await().atMost(WAIT).until(() -> scenarios.found(key).state() == StreamState.RUNNING);
    assertThat(scenarios.found(key).reconnects()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void a_stalled_feed_is_detected_and_reconnected() {
    StreamKey key = StreamScenarios.key("stalled", 70, 71);
    scenarios.start(key, FeedMode.QUOTE);
    awaitRunningWithTicks(key);
    long stalledConnection = StreamScenarios.upstream(simulator, key).get(0).id();

    simulator.state().stall(Optional.of(stalledConnection), true);

    // stale-after is 2 s in these tests.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(StreamScenarios.upstream(simulator, key))
                    .singleElement()
                    .satisfies(c -> assertThat(c.id()).isNotEqualTo(stalledConnection)));
    await().atMost(WAIT).until(() -> scenarios.found(key).state() == StreamState.RUNNING);
    assertThat(scenarios.found(key).lastError()).contains("no frame received");
  }

  @Test
  void the_snapshot_has_the_latest_values_prev_close_included() {
    StreamKey key = StreamScenarios.key("snapshot", 80, 81);
    scenarios.start(key, FeedMode.QUOTE);
    awaitRunningWithTicks(key);

    TestProbe<StreamEntity.SnapshotReply> probe = kit.createTestProbe();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              scenarios.entity(key).tell(new StreamEntity.GetSnapshot(probe.getRef()));
              List<Tick> ticks = probe.receiveMessage(WAIT).ticks();
              assertThat(ticks).extracting(Tick::securityId).containsExactly(80, 81);
              assertThat(ticks)
                  .allSatisfy(
                      t -> {
                        assertThat(t.previousClose()).isNotNull();
                        assertThat(t.ltp()).isNotNull();
                        assertThat(t.volume()).isNotNull();
                      });
            });
  }

  @Test
  void asking_about_a_key_never_started_answers_unknown_and_persists_nothing() {
    StreamKey key = StreamScenarios.key("neverstarted", 90);
    assertThat(scenarios.status(key)).isInstanceOf(StreamEntity.Unknown.class);
    assertThat(
            EmbeddedDatabase.count(
                database,
                "select count(*) from event_journal where persistence_id = 'StreamEntity|"
                    + key.entityId()
                    + "'"))
        .isZero();
  }

  @Test
  void instruments_in_other_segments_keep_their_segment_upstream() {
    StreamKey key = new StreamKey("fno", List.of(Instrument.of(ExchangeSegment.NSE_FNO, 55796)));
    assertThat(key.value()).isEqualTo("type:fno|ids:NSE_FNO:55796");
    scenarios.start(key, FeedMode.QUOTE);
    awaitRunningWithTicks(key);
    assertThat(StreamScenarios.subscriptions(simulator, key))
        .containsExactly("NSE_FNO:55796 quote");
  }

  @Test
  void the_registry_lists_a_running_stream_with_its_node_and_forgets_it_when_stopped() {
    StreamKey key = StreamScenarios.key("registered", 110, 111);
    scenarios.start(key, FeedMode.QUOTE);
    awaitRunningWithTicks(key);
    ActorRef<StreamRegistry.Command> registry = streams.registry();
    TestProbe<StreamListing> probe = kit.createTestProbe();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              registry.tell(new StreamRegistry.GetListing(probe.getRef()));
              StreamListing listing = probe.receiveMessage(WAIT);
              assertThat(listing.streams())
                  .filteredOn(s -> s.key().equals(key))
                  .singleElement()
                  .satisfies(
                      s -> {
                        assertThat(s.state()).isEqualTo(StreamState.RUNNING);
                        assertThat(s.node()).isEqualTo(scenarios.found(key).node());
                      });
              assertThat(listing.perNode()).containsKey(scenarios.found(key).node());
            });

    scenarios.stop(key);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              registry.tell(new StreamRegistry.GetListing(probe.getRef()));
              assertThat(probe.receiveMessage(WAIT).streams()).noneMatch(s -> s.key().equals(key));
            });
  }
}
