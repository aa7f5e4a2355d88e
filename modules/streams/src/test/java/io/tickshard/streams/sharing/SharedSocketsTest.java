package io.tickshard.streams.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.feed.FeedMode;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.simulator.SimulatorState;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.entity.StartReply;
import io.tickshard.streams.entity.StopReply;
import io.tickshard.streams.entity.StreamEntity;
import io.tickshard.streams.entity.StreamSettings;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.metrics.NodeMetrics;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.registry.StreamListing;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.registry.UpstreamListing;
import io.tickshard.streams.testkit.ClusterOfOne;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import io.tickshard.streams.ticks.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code shared} mode on one node against the simulator: keys ride on one socket, each instrument
 * subscribed once in the highest mode a key needs, changed on the open socket as keys start and
 * stop (after the grace), each key's viewers getting its instruments in its own mode. The account
 * has one socket here, so "over capacity" is 5,000 distinct instruments.
 */
class SharedSocketsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static FeedSimulator simulator;
  private static ActorTestKit kit;
  private static Streams streams;
  private static EmbeddedDatabase.Database database;

  @BeforeAll
  static void start() {
    simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults().withMarket(200, 13).withLimits(100, 5_000, 5));
    Map<String, Object> config = new HashMap<>();
    config.put("tickshard.upstream.sharing", "shared");
    config.put("tickshard.upstream.unsubscribe-grace", GRACE.toMillis() + "ms");
    config.put("tickshard.budget.max-connections", 1);
    // The default 30 s: a status shows live figures, not those of the sockets' last heartbeat.
    config.put("tickshard.streams.unknown-passivate-after", "1s");
    database = EmbeddedDatabase.newDatabase();
    kit = ClusterOfOne.start(ClusterOfOne.config(database, simulator, config));
    streams =
        Streams.start(
            kit.system(),
            StreamSettings.fromConfig(kit.system().settings().config(), MarketHours.always()));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    simulator.close();
  }

  /** Each test leaves nothing subscribed: stop what runs, and wait out the grace. */
  @AfterEach
  void stopAll() {
    StreamListing listing = listing();
    for (StreamStatus status : listing.streams()) {
      if (status.state() != StreamState.STOPPED) {
        stop(status.key());
      }
    }
    // The registry first (nothing placed, no grace pending), then the socket closed at the broker:
    // an empty simulator alone may be a socket between two connects.
    await().atMost(WAIT).until(() -> upstream().instrumentsInUse() == 0);
    await().atMost(WAIT).until(() -> simulator.state().connections().isEmpty());
  }

  private static StreamKey key(String screener, int... ids) {
    return StreamKey.of(screener, IntStream.of(ids).mapToObj(String::valueOf).toList());
  }

  private static StartReply start(StreamKey key, FeedMode mode) {
    TestProbe<StartReply> probe = kit.createTestProbe();
    StreamEntity.entityRefFor(kit.system(), key)
        .tell(new StreamEntity.Start(new StreamSpec(key, mode), probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  private static StopReply stop(StreamKey key) {
    TestProbe<StopReply> probe = kit.createTestProbe();
    StreamEntity.entityRefFor(kit.system(), key)
        .tell(new StreamEntity.Stop("test", probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  private static StreamStatus status(StreamKey key) {
    TestProbe<StreamEntity.StatusReply> probe = kit.createTestProbe();
    StreamEntity.entityRefFor(kit.system(), key).tell(new StreamEntity.GetStatus(probe.getRef()));
    return ((StreamEntity.Found) probe.receiveMessage(WAIT)).status();
  }

  private static StreamListing listing() {
    TestProbe<StreamListing> probe = kit.createTestProbe();
    streams.registry().tell(new StreamRegistry.GetListing(probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  private static UpstreamListing upstream() {
    TestProbe<UpstreamListing> probe = kit.createTestProbe();
    streams.registry().tell(new StreamRegistry.GetUpstream(probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  private static Map<Integer, String> subscribed() {
    return SharingProbes.subscribed(simulator);
  }

  private static long socketId() {
    return simulator.state().connections().get(0).id();
  }

  private static TestProbe<Tick> viewer(StreamKey key) {
    return SharingProbes.viewer(kit, streams, key, WAIT);
  }

  private static void awaitRunning(StreamKey... keys) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (StreamKey key : keys) {
                assertThat(status(key).state()).isEqualTo(StreamState.RUNNING);
              }
            });
  }

  @Test
  void two_overlapping_keys_share_one_socket_each_instrument_once_in_the_highest_mode() {
    StreamKey swing = key("swing", 1333, 2885, 11536);
    StreamKey depth = key("depth", 11536, 1594);
    assertThat(start(swing, FeedMode.QUOTE)).isInstanceOf(StartReply.Started.class);
    assertThat(start(depth, FeedMode.FULL)).isInstanceOf(StartReply.Started.class);
    awaitRunning(swing, depth);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(subscribed())
                    .isEqualTo(Map.of(1333, "quote", 2885, "quote", 11536, "full", 1594, "full")));
    assertThat(status(swing).sockets()).containsExactly("slot-0");
    UpstreamListing upstream = upstream();
    assertThat(upstream.sharing()).isEqualTo("shared");
    assertThat(upstream.socketsInUse()).isEqualTo(1);
    assertThat(upstream.instrumentsInUse()).isEqualTo(4);
    assertThat(upstream.sockets()).hasSize(1);
    assertThat(upstream.sockets().get(0).instruments())
        .isEqualTo(Map.of(FeedMode.QUOTE, 2, FeedMode.FULL, 2));
    assertThat(upstream.sockets().get(0).keys()).isEqualTo(2);
  }

  @Test
  void each_key_gets_only_its_instruments_in_its_own_mode() {
    StreamKey quotes = key("quotes", 1333, 2885);
    StreamKey full = key("full", 2885, 1594);
    start(quotes, FeedMode.QUOTE);
    start(full, FeedMode.FULL);
    awaitRunning(quotes, full);
    TestProbe<Tick> quoteViewer = viewer(quotes);
    TestProbe<Tick> fullViewer = viewer(full);

    List<Tick> toQuotes = quoteViewer.receiveSeveralMessages(40, WAIT);
    List<Tick> toFull = fullViewer.receiveSeveralMessages(40, WAIT);
    assertThat(toQuotes).allSatisfy(t -> assertThat(t.securityId()).isIn(1333, 2885));
    assertThat(toQuotes).allSatisfy(t -> assertThat(t.kind()).isNotEqualTo("full"));
    // 2885 rides on a full subscription (the other key needs it): the quote key gets quotes.
    assertThat(toQuotes).anySatisfy(t -> assertThat(t.securityId()).isEqualTo(2885));
    assertThat(toFull).allSatisfy(t -> assertThat(t.securityId()).isIn(2885, 1594));
    // Live, long before the sockets' next heartbeat: the ticks routed to this key.
    StreamStatus live = status(quotes);
    assertThat(live.ticks()).isPositive();
    assertThat(live.lastTickAt()).isNotNull();
    // And the listing, within a few seconds (the sockets send the keys' figures every 2 s).
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(listing().streams())
                    .filteredOn(st -> st.key().equals(quotes))
                    .singleElement()
                    .satisfies(st -> assertThat(st.ticks()).isPositive()));
    assertThat(toFull)
        .filteredOn(t -> !t.kind().equals("prev_close"))
        .allSatisfy(t -> assertThat(t.kind()).isEqualTo("full"));

    TestProbe<StreamEntity.SnapshotReply> snapshot = kit.createTestProbe();
    StreamEntity.entityRefFor(kit.system(), quotes)
        .tell(new StreamEntity.GetSnapshot(snapshot.getRef()));
    List<Tick> latest = snapshot.receiveMessage(WAIT).ticks();
    assertThat(latest).extracting(Tick::securityId).contains(1333, 2885);
    assertThat(latest).allSatisfy(t -> assertThat(t.kind()).isNotEqualTo("full"));
  }

  @Test
  void a_stop_unsubscribes_after_the_grace_and_downgrades_on_the_open_socket() {
    StreamKey swing = key("swing-churn", 1333, 2885);
    StreamKey depth = key("depth-churn", 2885, 1594);
    start(swing, FeedMode.TICKER);
    start(depth, FeedMode.FULL);
    awaitRunning(swing, depth);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(subscribed())
                    .isEqualTo(Map.of(1333, "ticker", 2885, "full", 1594, "full")));
    long socket = socketId();

    stop(depth);
    // Within the grace nothing changes ...
    assertThat(subscribed()).isEqualTo(Map.of(1333, "ticker", 2885, "full", 1594, "full"));
    // ... after it, 1594 goes and 2885 drops to what the key left needs; same socket.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(subscribed()).isEqualTo(Map.of(1333, "ticker", 2885, "ticker")));
    assertThat(socketId()).isEqualTo(socket);
    assertThat(status(swing).state()).isEqualTo(StreamState.RUNNING);
  }

  @Test
  void a_key_started_again_within_the_grace_costs_nothing() {
    StreamKey key = key("again", 4963, 3045);
    start(key, FeedMode.QUOTE);
    awaitRunning(key);
    await().atMost(WAIT).until(() -> subscribed().size() == 2);
    long socket = socketId();
    long subscribesBefore = simulator.state().stats().subscribeMessages();

    stop(key);
    assertThat(start(key, FeedMode.QUOTE)).isInstanceOf(StartReply.Started.class);
    awaitRunning(key);
    // Past the grace: still subscribed, on the same socket, and nothing was sent for it.
    await()
        .pollDelay(GRACE.plusMillis(500))
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(subscribed()).isEqualTo(Map.of(4963, "quote", 3045, "quote")));
    assertThat(socketId()).isEqualTo(socket);
    assertThat(simulator.state().stats().subscribeMessages()).isEqualTo(subscribesBefore);
  }

  @Test
  void a_start_is_refused_only_when_its_instruments_cannot_be_placed() {
    StreamKey big = key("big", IntStream.rangeClosed(1, 3_000).toArray());
    StreamKey other = key("other", IntStream.rangeClosed(2_001, 5_000).toArray());
    StreamKey tooMany = key("too-many", IntStream.rangeClosed(4_001, 6_500).toArray());
    assertThat(start(big, FeedMode.TICKER)).isInstanceOf(StartReply.Started.class);
    // 2,000 new of 3,000: exactly the 5,000 one socket carries.
    assertThat(start(other, FeedMode.TICKER)).isInstanceOf(StartReply.Started.class);
    StartReply refused = start(tooMany, FeedMode.TICKER);
    assertThat(refused).isEqualTo(new StartReply.InstrumentsExhausted(1_500, 5_000, 5_000));
    awaitRunning(big, other);
    await().atMost(WAIT).until(() -> subscribed().size() == 5_000);
    Set<String> modes = subscribed().values().stream().collect(Collectors.toSet());
    assertThat(modes).containsExactly("ticker");
  }

  /**
   * The slot's lease (tickshard.upstream.slot-lease) decides whether its socket may be open here:
   * held by another node, the socket waits until that row expires; taken away (as a successor does
   * once this node was given up for gone), the socket closes before the taker's row could have been
   * taken, and opens again once it is free.
   */
  @Test
  void a_slot_opens_its_socket_only_under_its_lease_and_closes_it_when_the_lease_is_taken() {
    String lease = kit.system().name() + "-slot-0";
    EmbeddedDatabase.execute(
        database,
        "INSERT INTO tickshard_lease VALUES ('%s', 'another-node', now() + interval '2 seconds')"
            .formatted(lease));
    Instant othersExpire = leaseExpiry(lease);
    StreamKey key = key("lease", 7, 8);
    assertThat(start(key, FeedMode.QUOTE)).isInstanceOf(StartReply.Started.class);

    await().atMost(WAIT).until(() -> !simulator.state().connections().isEmpty());
    long first = simulator.state().connections().get(0).id();
    assertThat(Instant.parse(opened(first).openedAt()))
        .as("opened only after the other node's lease expired")
        .isAfter(othersExpire);
    assertThat(leaseOwner(lease)).startsWith(kit.system().address().hostPort());

    EmbeddedDatabase.execute(
        database,
        ("UPDATE tickshard_lease SET owner = 'successor', expires_at = now() + interval '3 seconds'"
                + " WHERE name = '%s'")
            .formatted(lease));
    Instant taken = Instant.now();
    Instant successorExpires = leaseExpiry(lease);
    await().atMost(WAIT).until(() -> opened(first).closedAt() != null);
    assertThat(Instant.parse(opened(first).closedAt()))
        .as("closed at its next renewal, well before the successor's row could expire")
        .isBefore(taken.plusSeconds(2));

    await()
        .atMost(WAIT)
        .until(() -> simulator.state().connections().stream().anyMatch(c -> c.id() != first));
    long second =
        simulator.state().connections().stream()
            .filter(c -> c.id() != first)
            .findFirst()
            .orElseThrow()
            .id();
    assertThat(Instant.parse(opened(second).openedAt()))
        .as("opened again only after the successor's lease expired")
        .isAfter(successorExpires);
    assertThat(start(key, FeedMode.QUOTE)).isInstanceOf(StartReply.AlreadyRunning.class);

    NodeMetrics metrics = NodeMetrics.get(kit.system());
    assertThat(metrics.slotLeaseWaits.get()).as("waits, counted").isGreaterThanOrEqualTo(2);
    assertThat(metrics.slotLeasesLost.labelValues("taken").get()).isGreaterThanOrEqualTo(1);

    stop(key);
    await()
        .atMost(WAIT)
        .until(() -> EmbeddedDatabase.count(database, "SELECT count(*) FROM tickshard_lease") == 0);
  }

  private static SimulatorState.TimelineEntry opened(long connection) {
    return simulator.state().timeline().stream()
        .filter(e -> e.id() == connection)
        .findFirst()
        .orElseThrow();
  }

  private static Instant leaseExpiry(String lease) {
    long millis =
        EmbeddedDatabase.count(
            database,
            "SELECT (extract(epoch FROM expires_at) * 1000)::bigint FROM tickshard_lease"
                + " WHERE name = '%s'".formatted(lease));
    return Instant.ofEpochMilli(millis);
  }

  private static String leaseOwner(String lease) {
    return EmbeddedDatabase.text(
        database, "SELECT owner FROM tickshard_lease WHERE name = '%s'".formatted(lease));
  }
}
