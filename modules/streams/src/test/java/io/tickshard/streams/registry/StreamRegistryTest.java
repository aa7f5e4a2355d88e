package io.tickshard.streams.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import io.tickshard.feed.FeedMode;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.entity.StreamEntity;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.sharing.UpstreamSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The registry's rules in the {@code dedicated} policy (one key per socket slot), on one registry
 * actor with probes standing in for entities and socket slots that only hear restarts.
 */
class StreamRegistryTest {
  private static final Duration HEARTBEAT = Duration.ofMillis(200);
  private static final Duration LOST_CHECK = Duration.ofMillis(300);
  private static ActorTestKit kit;
  private static TestProbe<UpstreamSocket.RestartConnection> restarts;

  @BeforeAll
  static void start() {
    kit =
        ActorTestKit.create(
            "registry",
            ConfigFactory.parseString(
                    "pekko.actor.provider = cluster\n"
                        + "pekko.remote.artery.canonical.port = 0\n"
                        + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n")
                .withFallback(ConfigFactory.load()));
    // A one-node cluster that is Up: a new registry waits for the Up nodes' reports.
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.selfMember().status() == MemberStatus.up());
    restarts = kit.createTestProbe();
    ClusterSharding.get(kit.system())
        .init(
            Entity.of(
                UpstreamSocket.TYPE_KEY,
                context ->
                    Behaviors.receive(UpstreamSocket.Command.class)
                        .onMessage(
                            UpstreamSocket.RestartConnection.class,
                            restart -> {
                              restarts.getRef().tell(restart);
                              return Behaviors.same();
                            })
                        .onAnyMessage(ignored -> Behaviors.same())
                        .build()));
  }

  private static StreamKey k(String name) {
    return SharedPlacementTest.k(name);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static ActorRef<StreamRegistry.Command> registry(int budget) {
    return registry(budget, HEARTBEAT, Duration.ofSeconds(2));
  }

  private static ActorRef<StreamRegistry.Command> registry(
      int budget, Duration heartbeat, Duration rebuildWindow) {
    return registry(budget, heartbeat, rebuildWindow, "off", Duration.ofMinutes(2));
  }

  private static ActorRef<StreamRegistry.Command> registry(
      int budget,
      Duration heartbeat,
      Duration rebuildWindow,
      String healthSchedule,
      Duration staleAfter) {
    // A journal that never answers (as when it is down): lost streams are kept.
    return registry(
        budget,
        heartbeat,
        rebuildWindow,
        healthSchedule,
        staleAfter,
        (reported, replyTo) -> Behaviors.empty());
  }

  private static ActorRef<StreamRegistry.Command> registry(
      int budget,
      Duration heartbeat,
      Duration rebuildWindow,
      String healthSchedule,
      Duration staleAfter,
      StreamRegistry.StreamWakeUp wakeUp) {
    return kit.spawn(
        StreamRegistry.create(
            new RegistrySettings(
                heartbeat,
                budget,
                HealthSchedule.parse(healthSchedule, ZoneOffset.UTC),
                staleAfter,
                rebuildWindow,
                MarketHours.always(),
                PlacementPolicy.DEDICATED,
                Duration.ofSeconds(10),
                LOST_CHECK),
            wakeUp));
  }

  /** A wake-up that wakes nothing and answers that the journal has these streams started. */
  private static StreamRegistry.StreamWakeUp journalSays(Set<String> startedEntityIds) {
    return (reported, replyTo) -> {
      replyTo.tell(new StreamRegistry.StartedInJournal(startedEntityIds));
      return Behaviors.empty();
    };
  }

  private static StreamRegistry.SlotReply acquire(
      ActorRef<StreamRegistry.Command> registry,
      String key,
      ActorRef<StreamEntity.Command> entity) {
    TestProbe<StreamRegistry.SlotReply> probe = kit.createTestProbe();
    registry.tell(
        new StreamRegistry.AcquireSlot(
            new StreamSpec(k(key), FeedMode.QUOTE), entity, probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(5));
  }

  /** Asks for a slot for {@code key} until one is granted, within {@code within}. */
  private static void awaitGranted(
      ActorRef<StreamRegistry.Command> registry, String key, Duration within) {
    ActorRef<StreamEntity.Command> entity = kit.<StreamEntity.Command>createTestProbe().getRef();
    TestProbe<StreamRegistry.SlotReply> probe = kit.createTestProbe();
    probe.awaitAssert(
        within,
        () -> {
          registry.tell(
              new StreamRegistry.AcquireSlot(
                  new StreamSpec(k(key), FeedMode.QUOTE), entity, probe.getRef()));
          assertThat(probe.receiveMessage()).isInstanceOf(StreamRegistry.SlotGranted.class);
          return null;
        });
  }

  private static StreamStatus status(String key, StreamState state) {
    return status(key, state, Instant.now(), Instant.now());
  }

  /** A stream's status as its entity reports it; the registry keys it by {@code key}. */
  private static StreamStatus status(
      String key, StreamState state, Instant startedAt, Instant heartbeatAt) {
    return new StreamStatus(
        k(key),
        state,
        "127.0.0.1:1",
        1,
        startedAt,
        heartbeatAt,
        null,
        0,
        1,
        FeedMode.QUOTE,
        0,
        null,
        null,
        null,
        null);
  }

  @Test
  void slots_are_granted_up_to_the_budget_then_refused_naming_the_holders() {
    ActorRef<StreamRegistry.Command> registry = registry(2);
    ActorRef<StreamEntity.Command> entity = kit.<StreamEntity.Command>createTestProbe().getRef();

    assertThat(acquire(registry, "a", entity)).isInstanceOf(StreamRegistry.SlotGranted.class);
    assertThat(acquire(registry, "b", entity)).isInstanceOf(StreamRegistry.SlotGranted.class);
    assertThat(acquire(registry, "a", entity))
        .as("a key that holds a slot keeps it")
        .isInstanceOf(StreamRegistry.SlotGranted.class);
    assertThat(acquire(registry, "c", entity))
        .isEqualTo(
            new StreamRegistry.SlotRefused(java.util.List.of(k("a").value(), k("b").value()), 2));

    registry.tell(new StreamRegistry.Deregister(k("a")));
    assertThat(acquire(registry, "c", entity)).isInstanceOf(StreamRegistry.SlotGranted.class);
  }

  @Test
  void a_stream_waiting_for_a_slot_does_not_count_and_a_stopped_one_gives_its_slot_back() {
    ActorRef<StreamRegistry.Command> registry = registry(1);
    ActorRef<StreamEntity.Command> held = kit.<StreamEntity.Command>createTestProbe().getRef();
    ActorRef<StreamEntity.Command> waiting = kit.<StreamEntity.Command>createTestProbe().getRef();
    ActorRef<StreamEntity.Command> other = kit.<StreamEntity.Command>createTestProbe().getRef();
    assertThat(acquire(registry, "held", held)).isInstanceOf(StreamRegistry.SlotGranted.class);

    // A recovered stream reports itself while it waits: seen, but not holding a socket.
    registry.tell(
        new StreamRegistry.StatusUpdate(status("waiting", StreamState.STARTING), false, waiting));
    assertThat(acquire(registry, "other", other)).isInstanceOf(StreamRegistry.SlotRefused.class);

    registry.tell(new StreamRegistry.Deregister(k("held")));
    assertThat(acquire(registry, "waiting", waiting))
        .isInstanceOf(StreamRegistry.SlotGranted.class);
  }

  @Test
  void the_health_check_judges_a_moved_stream_from_when_it_arrived_not_from_its_first_start() {
    restarts.expectNoMessage(Duration.ZERO);
    // Checks every second; two seconds without a heartbeat is stale.
    ActorRef<StreamRegistry.Command> registry =
        registry(1, HEARTBEAT, Duration.ofSeconds(2), "* * * * * *", Duration.ofSeconds(2));
    TestProbe<StreamEntity.Command> moved = kit.createTestProbe();
    // Started an hour ago elsewhere; recovered on its new node, connecting, no heartbeat yet.
    registry.tell(
        new StreamRegistry.StatusUpdate(
            status("moved", StreamState.STARTING, Instant.now().minus(Duration.ofHours(1)), null),
            true,
            moved.getRef()));

    // At least one check runs in this second and a half: the stream is not stale yet.
    restarts.expectNoMessage(Duration.ofMillis(1_500));
    // Still no heartbeat two seconds after it arrived: now it is, and its socket restarts.
    UpstreamSocket.RestartConnection restart =
        restarts.expectMessageClass(UpstreamSocket.RestartConnection.class, Duration.ofSeconds(3));
    assertThat(restart.reason()).startsWith("health check: no heartbeat since");
  }

  @Test
  void a_stream_whose_entity_dies_is_lost_and_keeps_its_slot_until_it_is_back() {
    ActorRef<StreamRegistry.Command> registry = registry(1);
    TestProbe<StreamEntity.Command> doomed = kit.createTestProbe();
    assertThat(acquire(registry, "doomed", doomed.getRef()))
        .isInstanceOf(StreamRegistry.SlotGranted.class);
    registry.tell(
        new StreamRegistry.StatusUpdate(
            status("doomed", StreamState.RUNNING), true, doomed.getRef()));

    doomed.stop();

    TestProbe<StreamListing> listing = kit.createTestProbe();
    listing.awaitAssert(
        () -> {
          registry.tell(new StreamRegistry.GetListing(listing.getRef()));
          assertThat(listing.receiveMessage().streams())
              .singleElement()
              .satisfies(s -> assertThat(s.state()).isEqualTo(StreamState.LOST));
          return null;
        });
    // Its socket still carries its instruments, and it comes back (remembered) to find it so: the
    // slot is not given to another key meanwhile.
    ActorRef<StreamEntity.Command> next = kit.<StreamEntity.Command>createTestProbe().getRef();
    assertThat(acquire(registry, "next", next))
        .isEqualTo(new StreamRegistry.SlotRefused(java.util.List.of(k("doomed").value()), 1));
    ActorRef<StreamEntity.Command> back = kit.<StreamEntity.Command>createTestProbe().getRef();
    assertThat(acquire(registry, "doomed", back))
        .isEqualTo(new StreamRegistry.SlotGranted(java.util.List.of("slot-0")));
  }

  @Test
  void a_stream_still_lost_that_the_journal_says_stopped_is_released_one_started_is_kept() {
    ActorRef<StreamRegistry.Command> registry =
        registry(
            2,
            HEARTBEAT,
            Duration.ofSeconds(2),
            "off",
            Duration.ofMinutes(2),
            journalSays(Set.of(k("started-in-journal").entityId())));
    TestProbe<StreamEntity.Command> stopped = kit.createTestProbe();
    TestProbe<StreamEntity.Command> started = kit.createTestProbe();
    for (var entity :
        List.of(Map.entry("stopped-unheard", stopped), Map.entry("started-in-journal", started))) {
      assertThat(acquire(registry, entity.getKey(), entity.getValue().getRef()))
          .isInstanceOf(StreamRegistry.SlotGranted.class);
      registry.tell(
          new StreamRegistry.StatusUpdate(
              status(entity.getKey(), StreamState.RUNNING), true, entity.getValue().getRef()));
    }
    // Both entities end without a word: one was stopped (its Deregister lost), one will be back.
    stopped.stop();
    started.stop();

    // After two checks the journal decides: the stopped one's slot is free for another key.
    awaitGranted(registry, "next", Duration.ofSeconds(10));
    TestProbe<StreamListing> listing = kit.createTestProbe();
    registry.tell(new StreamRegistry.GetListing(listing.getRef()));
    assertThat(listing.receiveMessage().streams())
        .extracting(s -> s.key().value(), StreamStatus::state)
        .containsExactly(tuple(k("started-in-journal").value(), StreamState.LOST));
  }

  @Test
  void a_slot_granted_to_an_entity_that_dies_before_reporting_is_freed() {
    ActorRef<StreamRegistry.Command> registry = registry(1);
    TestProbe<StreamEntity.Command> shortLived = kit.createTestProbe();
    assertThat(acquire(registry, "brief", shortLived.getRef()))
        .isInstanceOf(StreamRegistry.SlotGranted.class);

    shortLived.stop();

    awaitGranted(registry, "next", Duration.ofSeconds(3));
  }

  @Test
  void a_new_registry_answers_slot_requests_only_once_its_view_is_rebuilt() {
    ActorRef<StreamRegistry.Command> registry = registry(1);
    ActorRef<StreamEntity.Command> entity = kit.<StreamEntity.Command>createTestProbe().getRef();
    TestProbe<StreamRegistry.SlotReply> early = kit.createTestProbe();
    // Asked at once; meanwhile a running stream it did not grant reports its socket.
    registry.tell(
        new StreamRegistry.AcquireSlot(
            new StreamSpec(k("early"), FeedMode.QUOTE), entity, early.getRef()));
    registry.tell(
        new StreamRegistry.StatusUpdate(
            status("running-elsewhere", StreamState.RUNNING), true, entity));

    assertThat(early.receiveMessage(Duration.ofSeconds(5)))
        .isEqualTo(
            new StreamRegistry.SlotRefused(java.util.List.of(k("running-elsewhere").value()), 1));
  }

  @Test
  void a_new_registry_is_complete_as_soon_as_every_up_node_says_its_streams_reported() {
    TestProbe<StreamRegistry.RegistryStarted> announced = kit.createTestProbe();
    kit.spawn(StreamRegistry.announcementTopic()).tell(Topic.subscribe(announced.getRef()));
    // Long heartbeat and window: only the node's answer can end the wait within this test.
    ActorRef<StreamRegistry.Command> registry =
        registry(1, Duration.ofMinutes(5), Duration.ofMinutes(5));
    TestProbe<StreamRegistry.SlotReply> early = kit.createTestProbe();
    ActorRef<StreamEntity.Command> entity = kit.<StreamEntity.Command>createTestProbe().getRef();
    registry.tell(
        new StreamRegistry.AcquireSlot(
            new StreamSpec(k("early"), FeedMode.QUOTE), entity, early.getRef()));
    String registryId = announced.receiveMessage(Duration.ofSeconds(10)).registryId();
    String node = NodeName.of(kit.system());

    // An answer meant for another registry (one that was there before) counts for nothing.
    registry.tell(new StreamRegistry.NodeCaughtUp("an-earlier-registry", node));
    TestProbe<StreamListing> listing = kit.createTestProbe();
    registry.tell(new StreamRegistry.GetListing(listing.getRef()));
    // Answered in order: had that counted, the slot would be granted and the view complete.
    assertThat(listing.receiveMessage(Duration.ofSeconds(5)).complete()).isFalse();
    early.expectNoMessage(Duration.ZERO);

    registry.tell(new StreamRegistry.NodeCaughtUp(registryId, node));
    assertThat(early.receiveMessage(Duration.ofSeconds(5)))
        .isEqualTo(new StreamRegistry.SlotGranted(java.util.List.of("slot-0")));
  }
}
