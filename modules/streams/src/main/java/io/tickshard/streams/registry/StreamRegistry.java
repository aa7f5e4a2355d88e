package io.tickshard.streams.registry;

import io.tickshard.feed.FeedLimits;
import io.tickshard.feed.FeedMode;
import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamEntity;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.sharing.SocketStatus;
import io.tickshard.streams.sharing.UpstreamSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The cluster-wide view of streams, the broker connection budget, and the health check — one
 * cluster singleton, so that each is decided in one place.
 *
 * <ul>
 *   <li><b>View.</b> Every {@link StreamEntity} reports itself when it starts, on every change and
 *       heartbeat, and deregisters when it stops. Listing asks this actor, not every entity. It
 *       watches the entities: one that stops without deregistering (its node died, or it is handed
 *       over) is shown {@code lost} until it reports from its new node.
 *   <li><b>Budget.</b> A stream must hold a slot before it opens its socket; slots per broker
 *       client id are capped, and granted one at a time here, so concurrent starts on any nodes can
 *       never open more sockets than the broker allows. A slot is given back when the stream stops,
 *       fails, or is lost. The counting is {@link ConnectionBudget}'s; this actor asks it, and
 *       watches the entities it grants to.
 *   <li><b>Rebuild.</b> After a hand-over of the singleton, the view and the slots are rebuilt from
 *       the entities' reports, which it asks for at once. Until every Up node has said its streams
 *       reported (or {@code rebuild-window} has passed), answers say {@code complete: false}, and
 *       slot requests wait rather than risk the budget.
 *   <li><b>Health check.</b> On its cron schedule, inside market hours: restart the connection of
 *       every stream whose heartbeat is stale, count streams per node, log one line, keep the
 *       report. The next run is scheduled only after a run ends. Which streams are stale is {@link
 *       HealthCheck}'s judgement; this actor restarts them.
 * </ul>
 */
public final class StreamRegistry extends AbstractBehavior<StreamRegistry.Command> {

  public sealed interface Command extends CborSerializable {}

  /**
   * A stream's latest status, from its entity. {@code holdsSlot}: it was granted a connection slot
   * and has (or is opening) its socket; a recovered stream waiting for a slot has not.
   */
  public record StatusUpdate(
      StreamStatus status,
      String clientId,
      boolean holdsSlot,
      ActorRef<StreamEntity.Command> entity)
      implements Command {}

  /**
   * The live tick figures of the keys a shared socket carries, every {@link #FIGURES_INTERVAL}:
   * what the listing shows, fresher than the keys' reports (on changes and heartbeats only). A
   * dedicated stream's own connection reports its figures as often, in its status.
   */
  public record TickFigures(String source, Map<String, KeyFigures> byKey) implements Command {}

  public record KeyFigures(long ticks, Instant lastTickAt) implements CborSerializable {}

  /** How often sources send {@link TickFigures}. */
  public static final Duration FIGURES_INTERVAL = Duration.ofSeconds(2);

  /** The stream stopped for good: forget it and free its slot. */
  public record Deregister(String key) implements Command {}

  /**
   * Asks for a connection slot before opening a socket ({@code dedicated}), or for its instruments
   * to be placed on the shared sockets in {@code mode} ({@code shared}).
   */
  public record AcquireSlot(
      String key,
      FeedMode mode,
      String clientId,
      ActorRef<StreamEntity.Command> entity,
      ActorRef<SlotReply> replyTo)
      implements Command {}

  /** A shared socket slot asks what it should carry (when it starts, or is out of step). */
  public record GetTable(int slot, ActorRef<UpstreamSocket.Table> replyTo) implements Command {}

  /**
   * How a shared socket stands, and the registry change it has applied last; {@code inventory}
   * (what it carries) only when a new registry asked for it, else null.
   */
  public record SocketReport(
      SocketStatus status,
      String registryId,
      long seq,
      Map<FeedMode, String> inventory,
      ActorRef<UpstreamSocket.Command> socket)
      implements Command {}

  /** The broker sockets: the shared ones, or in {@code dedicated} mode one per stream. */
  public record GetUpstream(ActorRef<Upstream> replyTo) implements Command {}

  /**
   * @param sharing {@code shared} or {@code dedicated}
   * @param socketsInUse sockets open (or opening) for the account
   * @param instrumentsInUse distinct instruments subscribed over every socket
   * @param capacity sockets allowed times instruments per socket
   */
  public record Upstream(
      String sharing,
      int budget,
      int socketsInUse,
      int instrumentsInUse,
      int capacity,
      List<UpstreamSocketView> sockets,
      boolean complete)
      implements CborSerializable {}

  /**
   * One socket: {@code status} as its owner last reported (null before its first report), what is
   * placed on it per mode, room left, and the keys riding on it.
   */
  public record UpstreamSocketView(
      String id,
      SocketStatus status,
      Map<FeedMode, Integer> instruments,
      int carried,
      int roomLeft,
      int keys)
      implements CborSerializable {}

  private record ExpireSurplus() implements Command {}

  public record GetListing(ActorRef<Listing> replyTo) implements Command {}

  /** Which running (or lost) stream has this short id ({@link StreamKey#shortId}). */
  public record ResolveId(String id, ActorRef<ResolvedId> replyTo) implements Command {}

  /**
   * @param key the canonical key; null when no stream the registry knows has the id
   */
  public record ResolvedId(String id, String key) implements CborSerializable {}

  /** How many streams run on {@code node}, by state (lost ones not counted): for metrics. */
  public record GetStreamCounts(String node, ActorRef<StreamCounts> replyTo) implements Command {}

  public record StreamCounts(Map<StreamState, Integer> byState) implements CborSerializable {}

  public record GetHealth(ActorRef<HealthReport> replyTo) implements Command {}

  /**
   * A node's streams have all reported to the registry named {@code registryId} (see {@link
   * RegistryAnnouncements}).
   */
  public record NodeCaughtUp(String registryId, String node) implements Command {}

  private record RebuildDone() implements Command {}

  private record RunHealthCheck() implements Command {}

  private record Announce() implements Command {}

  /** Answers to {@link AcquireSlot}. */
  public sealed interface SlotReply extends CborSerializable {}

  /**
   * @param sockets in {@code shared} mode the sockets that carry the key's instruments; empty in
   *     {@code dedicated} mode
   */
  public record SlotGranted(List<String> sockets) implements SlotReply {}

  /** {@code shared} mode: the key's new instruments do not fit on the sockets the account has. */
  public record InstrumentsRefused(int needed, int inUse, int capacity) implements SlotReply {}

  /** Every slot is taken; {@code holders} are the stream keys that hold them. */
  public record SlotRefused(List<String> holders, int budget) implements SlotReply {}

  /** Every stream known, with counts per node. */
  public record Listing(
      List<StreamStatus> streams,
      Map<String, Integer> perNode,
      int total,
      boolean complete,
      Instant registrySince)
      implements CborSerializable {}

  /**
   * The latest health check, or only the schedule when none ran yet ({@code ranAt} null).
   *
   * @param staleRestarted keys whose connection the check restarted
   */
  public record HealthReport(
      Instant ranAt,
      Instant nextRunAt,
      int streams,
      Map<String, Integer> perNode,
      List<String> staleRestarted,
      int budgetUsed,
      int budget,
      boolean complete,
      String summary)
      implements CborSerializable {}

  /**
   * @param since when this registry first heard from this entity: a stream that moved or recovered
   *     keeps its first {@code startedAt}, so this is what its health is judged from until its
   *     first heartbeat
   */
  private record Entry(
      StreamStatus status, String clientId, ActorRef<StreamEntity.Command> entity, Instant since) {}

  public static final String NAME = "stream-registry";
  private static final Object REBUILD_TIMER = "rebuild";
  private static final Object ANNOUNCE_TIMER = "announce";
  private static final Object HEALTH_TIMER = "health";
  private static final Object EXPIRE_TIMER = "expire-surplus";

  /** The proxy to the singleton; the same one for every call on a node. */
  public static ActorRef<Command> init(ActorSystem<?> system, RegistrySettings settings) {
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                Behaviors.supervise(create(settings)).onFailure(SupervisorStrategy.restart()),
                NAME));
  }

  public static Behavior<Command> create(RegistrySettings settings) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new StreamRegistry(context, timers, settings)));
  }

  private final RegistrySettings settings;
  private final TimerScheduler<Command> timers;
  private final String node;
  private final Map<String, Entry> streams = new HashMap<>();
  // Short id → key of every stream in streams, for URLs that name a stream by its id.
  private final Map<String, String> keysById = new HashMap<>();
  private final ConnectionBudget budget;
  private final HealthCheck healthCheck;

  /** Watched entity → the key it last reported or asked for. */
  private final Map<ActorRef<?>, String> watched = new HashMap<>();

  private final List<AcquireSlot> waiting = new ArrayList<>();
  // Source (a socket slot, or a dedicated key) → key → its latest figures there.
  private final Map<String, Map<String, KeyFigures>> figures = new HashMap<>();
  private final List<GetTable> tablesWaiting = new ArrayList<>();
  // Null in dedicated mode.
  private final SharedSockets shared;
  private final Instant since = Instant.now();
  private boolean complete;
  // Announcements and "done" answers carry it, so no answer meant for an earlier registry counts.
  private final String registryId = UUID.randomUUID().toString();
  private final Set<String> nodesReported = new HashSet<>();
  private final ActorRef<Topic.Command<RegistryAnnouncements.RegistryStarted>> announcements;
  private HealthReport latest;
  private Instant nextRun;

  private StreamRegistry(
      ActorContext<Command> context, TimerScheduler<Command> timers, RegistrySettings settings) {
    super(context);
    this.settings = settings;
    this.timers = timers;
    this.node = NodeName.of(context.getSystem());
    this.budget = new ConnectionBudget(settings.maxConnections());
    this.healthCheck = new HealthCheck(settings.healthStaleAfter());
    this.shared = settings.shared() ? new SharedSockets(settings, registryId, context) : null;
    if (shared != null) {
      timers.startTimerWithFixedDelay(EXPIRE_TIMER, new ExpireSurplus(), Duration.ofSeconds(1));
    }
    // Running streams report within a heartbeat period anyway; the announcement asks them to do
    // so at once, and the view is complete when every node says they did.
    Duration interval = settings.heartbeatInterval();
    Duration rebuild = interval.plus(interval.dividedBy(2));
    timers.startSingleTimer(
        REBUILD_TIMER,
        new RebuildDone(),
        rebuild.compareTo(settings.rebuildWindow()) < 0 ? rebuild : settings.rebuildWindow());
    announcements = context.spawn(RegistryAnnouncements.topic(), "announcements");
    // Repeated until complete: the topic finds the nodes' listeners through the receptionist,
    // which takes a moment, and a node may miss one.
    timers.startSingleTimer("announce-first", new Announce(), Duration.ofMillis(300));
    timers.startTimerWithFixedDelay(
        ANNOUNCE_TIMER, new Announce(), Duration.ofMillis(1200), Duration.ofMillis(900));
    scheduleHealthCheck();
    context
        .getLog()
        .info(
            "stream registry started on {}: budget {} connections ({}), health check {}",
            node,
            settings.maxConnections(),
            settings.sharing().wireName(),
            settings.healthSchedule());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StatusUpdate.class, this::onStatusUpdate)
        .onMessage(Deregister.class, this::onDeregister)
        .onMessage(AcquireSlot.class, this::onAcquire)
        .onSignal(Terminated.class, this::onTerminated)
        .onMessage(RebuildDone.class, this::onRebuildDone)
        .onMessage(NodeCaughtUp.class, this::onNodeReported)
        .onMessage(GetListing.class, this::onGetListing)
        .onMessage(
            ResolveId.class,
            resolve -> {
              resolve.replyTo().tell(new ResolvedId(resolve.id(), keysById.get(resolve.id())));
              return this;
            })
        .onMessage(
            GetStreamCounts.class,
            get -> {
              Map<StreamState, Integer> byState = new EnumMap<>(StreamState.class);
              for (Entry entry : streams.values()) {
                StreamStatus status = entry.status();
                if (get.node().equals(status.node()) && status.state() != StreamState.LOST) {
                  byState.merge(status.state(), 1, Integer::sum);
                }
              }
              get.replyTo().tell(new StreamCounts(byState));
              return this;
            })
        .onMessage(GetHealth.class, this::onGetHealth)
        .onMessage(RunHealthCheck.class, this::onRunHealthCheck)
        .onMessage(
            TickFigures.class,
            reported -> {
              figures.put(reported.source(), reported.byKey());
              return this;
            })
        .onMessage(GetTable.class, this::onGetTable)
        .onMessage(SocketReport.class, this::onSocketReport)
        .onMessage(GetUpstream.class, this::onGetUpstream)
        .onMessage(
            ExpireSurplus.class,
            expire -> {
              shared.expire(Instant.now());
              return this;
            })
        .onMessage(
            Announce.class,
            announce -> {
              if (!complete) {
                announcements.tell(
                    Topic.publish(new RegistryAnnouncements.RegistryStarted(registryId)));
              }
              return this;
            })
        .build();
  }

  // ---- the view -----------------------------------------------------------------------------

  private Behavior<Command> onStatusUpdate(StatusUpdate report) {
    String key = report.status().key();
    Entry known = streams.get(key);
    Instant since =
        known != null && known.entity().equals(report.entity()) ? known.since() : Instant.now();
    if (streams.put(key, new Entry(report.status(), report.clientId(), report.entity(), since))
        == null) {
      keysById.put(StreamKey.shortIdOf(key), key);
    }
    watch(key, report.entity());
    if (shared == null) {
      budget.reported(report.status(), report.clientId(), report.holdsSlot());
    } else if (complete && report.holdsSlot()) {
      placeIfRunningUnplaced(key, report.status(), Instant.now());
    }
    return this;
  }

  private Behavior<Command> onDeregister(Deregister deregister) {
    Entry removed = streams.remove(deregister.key());
    if (removed != null) {
      keysById.remove(StreamKey.shortIdOf(deregister.key()));
    }
    budget.release(deregister.key());
    if (shared != null) {
      shared.release(deregister.key(), Instant.now());
    }
    if (removed != null && watched.remove(removed.entity()) != null) {
      getContext().unwatch(removed.entity());
    }
    return grantWaiting();
  }

  /**
   * Watches an entity once, whatever it reports or asks for: a second {@code watchWith} of the same
   * actor with another message would throw, and a registry that restarts forgets the budget.
   */
  private void watch(String key, ActorRef<StreamEntity.Command> entity) {
    if (watched.put(entity, key) == null) {
      getContext().watch(entity);
    }
  }

  private Behavior<Command> onTerminated(Terminated terminated) {
    String key = watched.remove(terminated.getRef());
    if (key == null) {
      if (shared != null) {
        shared.gone(terminated.getRef());
      }
      return this;
    }
    return onEntityGone(key, terminated.getRef());
  }

  private Behavior<Command> onEntityGone(String goneKey, ActorRef<?> goneEntity) {
    Entry entry = streams.get(goneKey);
    if (entry != null && entry.entity().equals(goneEntity)) {
      StreamStatus s = entry.status();
      streams.put(
          goneKey,
          new Entry(
              s.lost("its node left or stopped; waiting for it to start elsewhere"),
              entry.clientId(),
              entry.entity(),
              entry.since()));
      budget.release(goneKey);
      // Shared: its lease stays; it comes back (remembered) and its instruments are still carried.
      getContext()
          .getLog()
          .info(
              "stream {} on {}: lost, {}",
              label(goneKey),
              s.node(),
              shared == null ? "its slot freed" : "its instruments kept until it is back");
    } else if (entry == null) {
      // Granted, then gone before its first report (its caller gave up on the answer): nothing
      // runs for it.
      budget.release(goneKey);
      if (shared != null) {
        shared.release(goneKey, Instant.now());
      }
    }
    return grantWaiting();
  }

  private Behavior<Command> onGetListing(GetListing get) {
    Map<String, KeyFigures> live = liveFigures();
    List<StreamStatus> all =
        streams.values().stream()
            .map(Entry::status)
            .map(
                status -> {
                  KeyFigures fresh = live.get(status.key());
                  return fresh == null || status.state() == StreamState.LOST
                      ? status
                      : status.withFigures(fresh.ticks(), fresh.lastTickAt(), status.reconnects());
                })
            .sorted(Comparator.comparing(StreamStatus::key))
            .toList();
    get.replyTo().tell(new Listing(all, perNode(), all.size(), complete, since));
    return this;
  }

  /** Per key, its figures summed over the sources that carry it (the latest tick of any). */
  private Map<String, KeyFigures> liveFigures() {
    Map<String, KeyFigures> live = new HashMap<>();
    figures
        .values()
        .forEach(
            byKey ->
                byKey.forEach(
                    (key, f) ->
                        live.merge(
                            key,
                            f,
                            (a, b) ->
                                new KeyFigures(
                                    a.ticks() + b.ticks(),
                                    a.lastTickAt() == null
                                            || (b.lastTickAt() != null
                                                && b.lastTickAt().isAfter(a.lastTickAt()))
                                        ? b.lastTickAt()
                                        : a.lastTickAt()))));
    return live;
  }

  private Map<String, Integer> perNode() {
    return HealthCheck.perNode(streams.values().stream().map(Entry::status).toList());
  }

  /** Log lines name keys by their short label: a key can hold 5,000 instruments. */
  private static String label(String key) {
    try {
      return StreamKey.parse(key).label();
    } catch (IllegalArgumentException e) {
      return key;
    }
  }

  // ---- the budget ---------------------------------------------------------------------------

  private Behavior<Command> onAcquire(AcquireSlot acquire) {
    if (!complete) {
      waiting.add(acquire); // decided once the view is rebuilt: no guessing at the budget
    } else {
      decide(acquire);
    }
    return this;
  }

  private void decide(AcquireSlot acquire) {
    if (shared != null) {
      SlotReply placed = shared.place(acquire.key(), acquire.mode(), Instant.now());
      if (placed instanceof SlotGranted) {
        watch(acquire.key(), acquire.entity());
      }
      acquire.replyTo().tell(placed);
      return;
    }
    ConnectionBudget.Decision decision = budget.tryAcquire(acquire.key(), acquire.clientId());
    if (decision instanceof ConnectionBudget.Refused refused) {
      getContext()
          .getLog()
          .info(
              "stream {}: refused, connection budget {}/{} used",
              label(acquire.key()),
              refused.holders().size(),
              refused.limit());
      acquire.replyTo().tell(new SlotRefused(refused.holders(), refused.limit()));
      return;
    }
    if (decision instanceof ConnectionBudget.Granted) {
      // Watched from the grant on: an entity that dies before it ever reports frees its slot.
      watch(acquire.key(), acquire.entity());
    }
    acquire.replyTo().tell(new SlotGranted(List.of()));
  }

  private Behavior<Command> onRebuildDone(RebuildDone done) {
    return completeView("its rebuild window ended");
  }

  private Behavior<Command> onNodeReported(NodeCaughtUp reported) {
    if (complete || !reported.registryId().equals(registryId)) {
      return this;
    }
    nodesReported.add(reported.node());
    List<Member> serving = ServingMembers.of(Cluster.get(getContext().getSystem()));
    boolean everyNode =
        serving.stream().allMatch(m -> nodesReported.contains(NodeName.of(m.address())));
    return !serving.isEmpty() && everyNode ? completeView("every node's streams reported") : this;
  }

  private Behavior<Command> completeView(String why) {
    if (complete) {
      return this;
    }
    complete = true;
    timers.cancel(REBUILD_TIMER);
    timers.cancel(ANNOUNCE_TIMER);
    getContext()
        .getLog()
        .info(
            "stream registry on {}: view complete after {} ms ({}): {} streams, {} slots held",
            node,
            Duration.between(since, Instant.now()).toMillis(),
            why,
            streams.size(),
            budget.used());
    getContext().spawnAnonymous(RememberedStreamsWakeUp.create(reportedEntityIds()));
    if (shared != null) {
      // Streams that run on sockets this registry has not placed them on: place them where
      // their instruments are (adopted from the sockets' reports).
      Instant now = Instant.now();
      streams.forEach((key, entry) -> placeIfRunningUnplaced(key, entry.status(), now));
      List.copyOf(tablesWaiting).forEach(get -> get.replyTo().tell(shared.table(get.slot())));
      tablesWaiting.clear();
    }
    return grantWaiting();
  }

  /**
   * The entity ids of the streams that reported and are not lost (a key that does not parse is its
   * own id).
   */
  private Set<String> reportedEntityIds() {
    Set<String> ids = new HashSet<>();
    for (Map.Entry<String, Entry> stream : streams.entrySet()) {
      if (stream.getValue().status().state() == StreamState.LOST) {
        continue; // gone with its node: wake it too, should remember-entities have lost it
      }
      String key = stream.getKey();
      try {
        ids.add(StreamKey.parse(key).entityId());
      } catch (IllegalArgumentException e) {
        ids.add(key);
      }
    }
    return ids;
  }

  private Behavior<Command> grantWaiting() {
    if (complete && !waiting.isEmpty()) {
      List<AcquireSlot> queued = List.copyOf(waiting);
      waiting.clear();
      queued.forEach(this::decide);
    }
    return this;
  }

  // ---- the health check ---------------------------------------------------------------------

  private void scheduleHealthCheck() {
    Instant now = Instant.now();
    nextRun = settings.healthSchedule().next(now).orElse(null);
    if (nextRun != null) {
      timers.startSingleTimer(HEALTH_TIMER, new RunHealthCheck(), Duration.between(now, nextRun));
    }
  }

  private Behavior<Command> onRunHealthCheck(RunHealthCheck run) {
    Instant now = Instant.now();
    if (settings.marketHours().isOpen(now)) {
      runHealthCheck(now);
    }
    scheduleHealthCheck();
    return this;
  }

  private void runHealthCheck(Instant now) {
    List<HealthCheck.Observed> observed =
        streams.values().stream()
            .map(entry -> new HealthCheck.Observed(entry.status(), entry.since()))
            .toList();
    SlotHolding holding = holding();
    HealthCheck.Result result = healthCheck.judge(observed, holding, now);
    for (HealthCheck.Stale stale : result.stale()) {
      streams.get(stale.key()).entity().tell(new StreamEntity.RestartConnection(stale.reason()));
    }
    getContext().getLog().info(result.summary());
    latest =
        new HealthReport(
            now,
            null,
            result.streams(),
            result.perNode(),
            result.staleKeys(),
            holding.used(),
            holding.limit(),
            complete,
            result.summary());
  }

  private Behavior<Command> onGetHealth(GetHealth get) {
    Map<String, Integer> perNode = perNode();
    HealthReport report =
        latest != null
            ? new HealthReport(
                latest.ranAt(),
                nextRun,
                latest.streams(),
                latest.perNode(),
                latest.staleRestarted(),
                latest.budgetUsed(),
                latest.budget(),
                latest.complete(),
                latest.summary())
            : new HealthReport(
                null,
                nextRun,
                HealthCheck.total(perNode),
                perNode,
                List.of(),
                holding().used(),
                holding().limit(),
                complete,
                "no health check has run yet");
    get.replyTo().tell(report);
    return this;
  }

  /**
   * A stream that runs on sockets this registry never placed it on (it took over after a
   * hand-over): placed where its instruments are.
   */
  private void placeIfRunningUnplaced(String key, StreamStatus status, Instant now) {
    if (status.state().holdsSlot() && !shared.holds(key)) {
      shared.place(key, status.mode(), now);
    }
  }

  private SlotHolding holding() {
    return shared != null ? shared.holding() : budget;
  }

  // ---- shared sockets -----------------------------------------------------------------------

  private Behavior<Command> onGetTable(GetTable get) {
    if (shared == null) {
      get.replyTo().tell(new UpstreamSocket.Table(registryId, 0, Map.of(), List.of()));
    } else if (!complete) {
      tablesWaiting.add(get); // answered once the view (and what the sockets carry) is known
    } else {
      get.replyTo().tell(shared.table(get.slot()));
    }
    return this;
  }

  private Behavior<Command> onSocketReport(SocketReport report) {
    if (shared != null) {
      shared.reported(report, complete, Instant.now());
    }
    return this;
  }

  private Behavior<Command> onGetUpstream(GetUpstream get) {
    get.replyTo().tell(shared != null ? shared.listing(complete) : dedicatedUpstream());
    return this;
  }

  /** In dedicated mode every stream that holds a slot is a socket of its own. */
  private Upstream dedicatedUpstream() {
    List<UpstreamSocketView> sockets = new ArrayList<>();
    int instruments = 0;
    for (Entry entry : streams.values()) {
      StreamStatus s = entry.status();
      if (!s.state().holdsSlot() || !budget.holds(s.key())) {
        continue;
      }
      instruments += s.instruments();
      SocketStatus status =
          new SocketStatus(
              label(s.key()),
              s.node(),
              // A socket's words for the stream's states (as a shared socket reports them).
              switch (s.state()) {
                case RUNNING -> "connected";
                case STARTING -> "connecting";
                default -> s.state().wireName();
              },
              s.startedAt(),
              null,
              s.heartbeatAt(),
              1,
              Map.of(s.mode(), s.instruments()),
              s.reconnects(),
              s.lastError());
      sockets.add(
          new UpstreamSocketView(
              status.id(),
              status,
              status.instruments(),
              s.instruments(),
              FeedLimits.MAX_INSTRUMENTS_PER_CONNECTION - s.instruments(),
              1));
    }
    sockets.sort(Comparator.comparing(UpstreamSocketView::id));
    return new Upstream(
        "dedicated",
        budget.limit(),
        budget.used(),
        instruments,
        budget.limit() * FeedLimits.MAX_INSTRUMENTS_PER_CONNECTION,
        sockets,
        complete);
  }
}
