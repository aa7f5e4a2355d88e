package io.tickshard.streams.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickshard.feed.FeedMode;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.sharing.KeyListeners;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stream entity's decisions, fast: an in-memory journal (which can be made to fail), test
 * probes for the registry and the shard, and its socket's word sent by hand. It runs on the default
 * path: the entity owns no socket, it is placed on the registry's and stands as they do.
 */
class StreamEntityDecisionsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final MarketHours CLOSED =
      new MarketHours() {
        @Override
        public boolean isOpen(Instant at) {
          return false;
        }

        @Override
        public Optional<Instant> nextOpen(Instant at) {
          return Optional.of(at.plus(Duration.ofHours(12)));
        }

        @Override
        public Optional<Instant> nextClose(Instant at) {
          return Optional.empty();
        }

        @Override
        public String name() {
          return "closed";
        }
      };

  private static ActorTestKit kit;
  private static PersistenceTestKit journal;

  private TestProbe<StreamRegistry.Command> registry;
  private TestProbe<ClusterSharding.ShardCommand> shard;
  private EventSourcedBehaviorTestKit<StreamEntity.Command, StreamEntity.Event, StreamEntity.State>
      entity;

  @BeforeAll
  static void start() {
    Config config =
        ConfigFactory.parseMap(
                Map.of(
                    "pekko.actor.provider", "cluster",
                    "pekko.remote.artery.canonical.hostname", "127.0.0.1",
                    "pekko.remote.artery.canonical.port", 0,
                    "tickshard.feed.heartbeat-interval", "300ms",
                    "tickshard.feed.backoff.min", "200ms",
                    "tickshard.streams.ask-timeout", "3s"))
            .withFallback(EventSourcedBehaviorTestKit.config())
            .withFallback(ConfigFactory.load());
    kit = ActorTestKit.create("decisions", config);
    journal = PersistenceTestKit.create(kit.system());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @AfterEach
  void clearJournal() {
    journal.clearAll();
    journal.resetPolicy();
  }

  private String persistenceId;
  private StreamKey key;

  /** Each test its own key. */
  private static StreamKey key(String screener) {
    int id = 1000 + Math.abs(screener.hashCode() % 1000);
    return StreamScenarios.key(screener, id, id + 1);
  }

  private void entity(String screener, MarketHours hours) {
    registry = kit.createTestProbe();
    shard = kit.createTestProbe();
    StreamSettings settings = StreamSettings.fromConfig(kit.system().settings().config(), hours);
    key = key(screener);
    persistenceId = StreamEntity.TYPE_KEY.name() + "|" + key.entityId();
    entity =
        EventSourcedBehaviorTestKit.create(
            kit.system(),
            StreamEntity.create(key.entityId(), settings, shard.getRef(), registry.getRef()),
            // Its self-sent messages (answers of the registry it asked) never cross nodes here.
            EventSourcedBehaviorTestKit.disabledSerializationSettings());
  }

  private static StreamEntity.Start start(
      String screener, FeedMode mode, TestProbe<StartReply> replies) {
    return new StreamEntity.Start(new StreamSpec(key(screener), mode), replies.getRef());
  }

  private StreamRegistry.AcquireSlot expectSlotRequest() {
    return registry
        .fishForMessage(
            WAIT,
            message ->
                message instanceof StreamRegistry.AcquireSlot
                    ? FishingOutcomes.complete()
                    : FishingOutcomes.continueAndIgnore())
        .stream()
        .map(StreamRegistry.AcquireSlot.class::cast)
        .reduce((first, last) -> last)
        .orElseThrow();
  }

  /** The registry's grant: the key rides on slot-0. */
  private static final StreamRegistry.SlotGranted GRANTED =
      new StreamRegistry.SlotGranted(List.of("slot-0"));

  /** Its socket says it is connected. */
  private void socketConnected() {
    entity.runCommand(
        new StreamEntity.SocketUpdated(
            new KeyListeners.Standing(
                "slot-0", StreamState.RUNNING, Instant.now(), null, 0, null, 0)));
  }

  private StreamStatus status() {
    TestProbe<StreamEntity.StatusReply> probe = kit.createTestProbe();
    entity.runCommand(new StreamEntity.GetStatus(probe.getRef()));
    return ((StreamEntity.Found) probe.receiveMessage(WAIT)).status();
  }

  @Test
  void starts_that_arrive_while_a_slot_is_asked_for_share_that_one_request_and_its_answer() {
    entity("coalesced", MarketHours.always());
    TestProbe<StartReply> replies = kit.createTestProbe();

    entity.runCommand(start("coalesced", FeedMode.QUOTE, replies));
    entity.runCommand(start("coalesced", FeedMode.QUOTE, replies));
    entity.runCommand(start("coalesced", FeedMode.FULL, replies));
    StreamRegistry.AcquireSlot request = expectSlotRequest();
    registry.expectNoMessage(Duration.ofMillis(200)); // one request for the three starts
    request.replyTo().tell(GRANTED);

    assertThat(replies.receiveMessage(WAIT)).isInstanceOf(StartReply.Started.class);
    assertThat(replies.receiveMessage(WAIT)).isInstanceOf(StartReply.Queued.class);
    assertThat(replies.receiveMessage(WAIT))
        .isInstanceOfSatisfying(
            StartReply.ModeConflict.class,
            conflict -> assertThat(conflict.runningMode()).isEqualTo(FeedMode.QUOTE));
    assertThat(entity.getState().active()).isTrue();
  }

  @Test
  void a_refused_slot_answers_every_waiting_start_with_the_holders_and_persists_nothing() {
    entity("refused", MarketHours.always());
    TestProbe<StartReply> replies = kit.createTestProbe();

    entity.runCommand(start("refused", FeedMode.QUOTE, replies));
    entity.runCommand(start("refused", FeedMode.QUOTE, replies));
    expectSlotRequest()
        .replyTo()
        .tell(new StreamRegistry.SlotRefused(List.of("type:a|ids:1", "type:b|ids:2"), 2));

    for (int i = 0; i < 2; i++) {
      assertThat(replies.receiveMessage(WAIT))
          .isInstanceOfSatisfying(
              StartReply.BudgetExhausted.class,
              refused -> assertThat(refused.holders()).hasSize(2));
    }
    assertThat(entity.getState().known()).isFalse();
    journal.expectNothingPersisted(persistenceId);
  }

  @Test
  void a_start_outside_market_hours_is_refused_with_the_next_open_and_asks_for_no_slot() {
    entity("closed", CLOSED);
    TestProbe<StartReply> replies = kit.createTestProbe();

    entity.runCommand(start("closed", FeedMode.QUOTE, replies));

    assertThat(replies.receiveMessage(WAIT))
        .isInstanceOfSatisfying(
            StartReply.MarketClosed.class, closed -> assertThat(closed.nextOpen()).isNotNull());
    registry.expectNoMessage(Duration.ofMillis(300));
    journal.expectNothingPersisted(persistenceId);
  }

  @Test
  void a_recovered_stream_waits_for_a_slot_saying_why_and_asks_again_until_granted() {
    entity("recovered", MarketHours.always());
    TestProbe<StartReply> replies = kit.createTestProbe();
    entity.runCommand(start("recovered", FeedMode.QUOTE, replies));
    expectSlotRequest().replyTo().tell(GRANTED);
    replies.expectMessageClass(StartReply.Started.class, WAIT);

    entity.restart();
    expectSlotRequest()
        .replyTo()
        .tell(new StreamRegistry.SlotRefused(List.of("type:other|ids:9"), 1));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              StreamStatus status = status();
              assertThat(status.state()).isEqualTo(StreamState.STARTING);
              assertThat(status.lastError()).contains("waiting for a connection slot");
            });

    // It asks again a heartbeat later, and runs once granted and its socket connected.
    expectSlotRequest().replyTo().tell(GRANTED);
    socketConnected();
    await().atMost(WAIT).until(() -> status().state() == StreamState.RUNNING);
  }

  @Test
  void a_start_the_journal_does_not_record_is_answered_so_and_gives_its_slot_back() {
    entity("unrecorded", MarketHours.always());
    TestProbe<StartReply> replies = kit.createTestProbe();
    journal.failNextPersisted();

    entity.runCommand(start("unrecorded", FeedMode.QUOTE, replies));
    entity.runCommand(start("unrecorded", FeedMode.QUOTE, replies));
    expectSlotRequest().replyTo().tell(GRANTED);

    assertThat(replies.receiveMessage(WAIT)).isInstanceOf(StartReply.NotRecorded.class);
    assertThat(replies.receiveMessage(WAIT)).isInstanceOf(StartReply.NotRecorded.class);
    registry.fishForMessage(
        WAIT,
        message ->
            message instanceof StreamRegistry.Deregister deregister && deregister.key().equals(key)
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
    assertThat(entity.getState().active()).isFalse();
  }

  @Test
  void a_journal_failure_restarts_the_entity_with_a_new_runtime_that_is_placed_again() {
    entity("journal", MarketHours.always());
    TestProbe<StartReply> replies = kit.createTestProbe();
    entity.runCommand(start("journal", FeedMode.QUOTE, replies));
    expectSlotRequest().replyTo().tell(GRANTED);
    replies.expectMessageClass(StartReply.Started.class, WAIT);
    socketConnected();
    await().atMost(WAIT).until(() -> status().state() == StreamState.RUNNING);

    // The stop's write fails: the behaviour restarts (the same object), its children are stopped.
    journal.failNextPersisted();
    TestProbe<StopReply> stops = kit.createTestProbe();
    entity.runCommand(new StreamEntity.Stop("test", stops.getRef()));
    assertThat(stops.receiveMessage(WAIT)).isInstanceOf(StopReply.NotRecorded.class);
    // Its placement is given back with the restart: no phantom holder.
    registry.fishForMessage(
        WAIT,
        message ->
            message instanceof StreamRegistry.Deregister
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());

    // Recovered as running, it asks to be placed again (a stale lease would skip that), and
    // stands as its socket says.
    expectSlotRequest().replyTo().tell(GRANTED);
    assertThat(status().state()).isEqualTo(StreamState.STARTING);
    socketConnected();
    await().atMost(WAIT).until(() -> status().state() == StreamState.RUNNING);
    entity.runCommand(new StreamEntity.Stop("test", stops.getRef()));
    stops.expectMessageClass(StopReply.Stopped.class, WAIT);
    registry.fishForMessage(
        WAIT,
        message ->
            message instanceof StreamRegistry.Deregister deregister && deregister.key().equals(key)
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());

    // Stopped, it asks its shard to passivate it.
    shard.expectMessageClass(ClusterSharding.Passivate.class, WAIT);
  }
}
