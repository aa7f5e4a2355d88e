package io.tickshard.streams.registry;

import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.sharing.RegistryLink;
import io.tickshard.streams.sharing.SocketWire;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The cluster-wide view of streams, the placement of keys on the account's sockets, and the health
 * check — one cluster singleton, so that each is decided in one place.
 *
 * <ul>
 *   <li><b>View</b> ({@link StreamView}). Every stream entity reports itself when it starts, on
 *       every change and heartbeat, and deregisters when it stops. A listing asks this actor, not
 *       every entity. It watches the entities: one that stops without deregistering (its node died,
 *       or it is handed over) is shown {@code lost} until it reports from its new node.
 *   <li><b>Placement</b> ({@link AccountSockets}, {@link SocketPlacement}). A key's instruments are
 *       placed on the socket slots before it runs, one request at a time here, so concurrent starts
 *       on any nodes can never open more sockets than the broker allows.
 *   <li><b>Rebuilding, then serving.</b> After a hand-over of the singleton, the view and the
 *       placement are rebuilt from the entities' and sockets' reports, which it asks for at once.
 *       Until every Up node has said its streams reported (or {@code rebuild-window} has passed),
 *       answers say {@code complete: false}, and placement requests wait (stashed) rather than risk
 *       the budget.
 *   <li><b>Health check.</b> On its cron schedule, inside market hours: restart the sockets of
 *       every stream whose heartbeat is stale, count streams per node, log one line, keep the
 *       report. Which streams are stale is {@link HealthCheck}'s judgement.
 * </ul>
 */
public final class StreamRegistry {

  public sealed interface Command extends CborSerializable {}

  /**
   * A stream's latest status, from its entity. {@code placed}: its instruments are placed on the
   * sockets; a recovered stream waiting for room is not.
   */
  public record StatusUpdate(StreamStatus status, boolean placed, ActorRef<?> entity)
      implements Command {}

  /** The live tick figures of the keys a socket carries: fresher than the keys' reports. */
  public record TickFigures(String source, List<RegistryLink.KeyFigures> keys) implements Command {}

  /** The stream stopped for good: forget it and free its slot. */
  public record Deregister(StreamKey key) implements Command {}

  /** Asks for a key's instruments to be placed on the sockets, in its mode. */
  public record AcquireSlot(StreamSpec spec, ActorRef<?> entity, ActorRef<SlotReply> replyTo)
      implements Command {}

  /** A socket slot asks what it should carry (when it starts, or is out of step). */
  public record GetTable(int slot, ActorRef<SocketWire.Table> replyTo) implements Command {}

  /** How a socket stands (see {@link RegistryLink.Report}). */
  public record SocketReported(RegistryLink.Report report) implements Command {}

  /** The account's broker sockets. */
  public record GetUpstream(ActorRef<UpstreamListing> replyTo) implements Command {}

  record ExpireSurplus() implements Command {}

  public record GetListing(ActorRef<StreamListing> replyTo) implements Command {}

  /** Which running (or lost) stream has this short id ({@link StreamKey#shortId}). */
  public record ResolveId(String id, ActorRef<ResolvedId> replyTo) implements Command {}

  /**
   * @param key the canonical key; null when no stream the registry knows has the id
   */
  public record ResolvedId(String id, StreamKey key) implements CborSerializable {}

  /** How many streams run on {@code node}, by state (lost ones not counted): for metrics. */
  public record GetStreamCounts(String node, ActorRef<StreamCounts> replyTo) implements Command {}

  public record StreamCounts(Map<StreamState, Integer> byState) implements CborSerializable {}

  public record GetHealth(ActorRef<HealthReport> replyTo) implements Command {}

  /**
   * Runs a health check round now, inside market hours or not (the old {@code
   * cleanup_stale_streams}), and answers its report; the scheduled rounds go on as before.
   */
  public record CheckHealthNow(ActorRef<HealthReport> replyTo) implements Command {}

  /**
   * Published by a registry until its view is complete; {@code registryId} names that registry. On
   * every node a listener has the node's streams and sockets report at once, then answers {@link
   * NodeCaughtUp}: a new registry learns what runs in a moment rather than a heartbeat period.
   */
  public record RegistryStarted(String registryId) implements CborSerializable {}

  public static final String ANNOUNCEMENTS_TOPIC = "stream-registry-announcements";

  public static Behavior<Topic.Command<RegistryStarted>> announcementTopic() {
    return Topic.create(RegistryStarted.class, ANNOUNCEMENTS_TOPIC);
  }

  /** A node's streams have all reported to the registry named {@code registryId}. */
  public record NodeCaughtUp(String registryId, String node) implements Command {}

  private record RebuildDone() implements Command {}

  record RunHealthCheck() implements Command {}

  private record Announce() implements Command {}

  /** Answers to {@link AcquireSlot}. */
  public sealed interface SlotReply extends CborSerializable {}

  /**
   * @param sockets the sockets that carry the key's instruments
   */
  public record SlotGranted(List<String> sockets) implements SlotReply {}

  /** The key's new instruments do not fit on the sockets the account has. */
  public record InstrumentsRefused(int needed, int inUse, int capacity) implements SlotReply {}

  /** {@code dedicated}: every slot is held; {@code holders} are the stream keys that hold them. */
  public record SlotRefused(List<String> holders, int budget) implements SlotReply {}

  /**
   * Wakes the started streams that did not report to a new registry (their ids read from the
   * journal): the stream entities' side, given by whoever starts the registry.
   */
  @FunctionalInterface
  public interface StreamWakeUp {
    /** Wakes them, and tells {@code replyTo} which streams the journal says are started. */
    Behavior<?> wakeAllBut(Set<String> reportedEntityIds, ActorRef<StartedInJournal> replyTo);
  }

  /** The entity ids whose last journal event is "started", as the wake-up read them. */
  public record StartedInJournal(Set<String> entityIds) implements Command {}

  private record CheckLost() implements Command {}

  public static final String NAME = "stream-registry";
  private static final Object REBUILD_TIMER = "rebuild";
  private static final Object ANNOUNCE_TIMER = "announce";
  private static final Object EXPIRE_TIMER = "expire-surplus";
  private static final Object LOST_TIMER = "lost-check";
  // Placement requests and socket tables held while rebuilding: a storm of starts fits.
  private static final int STASH_CAPACITY = 10_000;

  /** The proxy to the singleton; the same one for every call on a node. */
  public static ActorRef<Command> init(
      ActorSystem<?> system, RegistrySettings settings, StreamWakeUp wakeUp) {
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                Behaviors.supervise(create(settings, wakeUp))
                    .onFailure(SupervisorStrategy.restart()),
                NAME));
  }

  public static Behavior<Command> create(RegistrySettings settings, StreamWakeUp wakeUp) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    Behaviors.withStash(
                        STASH_CAPACITY,
                        stash ->
                            new StreamRegistry(context, timers, stash, settings, wakeUp)
                                .rebuilding())));
  }

  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final StashBuffer<Command> stash;
  private final StreamWakeUp wakeUp;
  private final String node;
  private final AccountSockets sockets;
  private final HealthRounds health;
  private final RegistryRecords records;
  private final LostStreams lost = new LostStreams();

  private final Instant since = Instant.now();
  // Announcements and "done" answers carry it, so no answer meant for an earlier registry counts.
  private final String registryId = UUID.randomUUID().toString();
  private final Set<String> nodesReported = new HashSet<>();
  private final ActorRef<Topic.Command<RegistryStarted>> announcements;

  private StreamRegistry(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      StashBuffer<Command> stash,
      RegistrySettings settings,
      StreamWakeUp wakeUp) {
    this.context = context;
    this.timers = timers;
    this.stash = stash;
    this.wakeUp = wakeUp;
    this.node = NodeName.of(context.getSystem());
    this.sockets = new AccountSockets(settings, registryId, context);
    this.health = new HealthRounds(settings, timers, context.getLog());
    this.records = new RegistryRecords(context, sockets, health, since);
    timers.startTimerWithFixedDelay(EXPIRE_TIMER, new ExpireSurplus(), Duration.ofSeconds(1));
    timers.startTimerWithFixedDelay(LOST_TIMER, new CheckLost(), settings.lostCheck());
    // Running streams report within a heartbeat period anyway; the announcement asks them to do
    // so at once, and the view is complete when every node says they did.
    Duration interval = settings.heartbeatInterval();
    Duration rebuild = interval.plus(interval.dividedBy(2));
    timers.startSingleTimer(
        REBUILD_TIMER,
        new RebuildDone(),
        rebuild.compareTo(settings.rebuildWindow()) < 0 ? rebuild : settings.rebuildWindow());
    announcements = context.spawn(announcementTopic(), "announcements");
    // Repeated until complete: the topic finds the nodes' listeners through the receptionist,
    // which takes a moment, and a node may miss one.
    timers.startSingleTimer("announce-first", new Announce(), Duration.ofMillis(300));
    timers.startTimerWithFixedDelay(
        ANNOUNCE_TIMER, new Announce(), Duration.ofMillis(1200), Duration.ofMillis(900));
    health.scheduleNext();
    context
        .getLog()
        .info(
            "stream registry started on {}: budget {} sockets ({}), health check {}",
            node,
            settings.maxConnections(),
            settings.placement().wireName(),
            settings.healthSchedule());
  }

  // ---- rebuilding: the view is not yet known, placement waits -----------------------------

  private Behavior<Command> rebuilding() {
    return records
        .answering(false)
        .onMessage(StatusUpdate.class, records::onStatusUpdate)
        .onMessage(AcquireSlot.class, this::hold)
        .onMessage(GetTable.class, this::hold)
        .onMessage(RebuildDone.class, done -> serve("its rebuild window ended"))
        .onMessage(NodeCaughtUp.class, this::onNodeCaughtUp)
        .onMessage(
            Announce.class,
            announce -> {
              announcements.tell(Topic.publish(new RegistryStarted(registryId)));
              return Behaviors.same();
            })
        .build();
  }

  private Behavior<Command> hold(Command command) {
    if (stash.isFull()) {
      // The caller's ask times out, and the API answers 503 to try again.
      context.getLog().warn("stream registry on {}: too many requests while rebuilding", node);
    } else {
      stash.stash(command);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onNodeCaughtUp(NodeCaughtUp reported) {
    if (!reported.registryId().equals(registryId)) {
      return Behaviors.same();
    }
    nodesReported.add(reported.node());
    List<Member> serving = ServingMembers.of(Cluster.get(context.getSystem()));
    boolean everyNode =
        serving.stream().allMatch(m -> nodesReported.contains(NodeName.of(m.address())));
    return !serving.isEmpty() && everyNode
        ? serve("every node's streams reported")
        : Behaviors.same();
  }

  private Behavior<Command> serve(String why) {
    timers.cancel(REBUILD_TIMER);
    timers.cancel(ANNOUNCE_TIMER);
    context
        .getLog()
        .info(
            "stream registry on {}: view complete after {} ms ({}): {} streams, {} sockets in use",
            node,
            Duration.between(since, Instant.now()).toMillis(),
            why,
            records.view().size(),
            sockets.holding().used());
    context.spawnAnonymous(wakeUp.wakeAllBut(reportedEntityIds(), context.getSelf().narrow()));
    // Streams that run on sockets this registry has not placed them on: placed where their
    // instruments are (adopted from the sockets' reports).
    Instant now = Instant.now();
    records.view().entries().forEach(entry -> placeIfRunningUnplaced(entry.status(), now));
    return stash.unstashAll(serving());
  }

  /** The entity ids of the streams that reported and are not lost. */
  private Set<String> reportedEntityIds() {
    Set<String> ids = new HashSet<>();
    for (StreamView.Entry<ActorRef<?>> entry : records.view().entries()) {
      if (entry.status().state() != StreamState.LOST) {
        ids.add(entry.status().key().entityId());
      }
    }
    return ids;
  }

  // ---- serving: the view is complete --------------------------------------------------------

  private Behavior<Command> serving() {
    return records
        .answering(true)
        .onMessage(
            StatusUpdate.class,
            update -> {
              records.onStatusUpdate(update);
              if (update.placed()) {
                placeIfRunningUnplaced(update.status(), Instant.now());
              }
              return Behaviors.same();
            })
        .onMessage(AcquireSlot.class, this::onAcquire)
        .onMessage(
            GetTable.class,
            get -> {
              get.replyTo().tell(sockets.table(get.slot()));
              return Behaviors.same();
            })
        .onMessage(CheckLost.class, check -> onCheckLost())
        .onMessage(StartedInJournal.class, this::onStartedInJournal)
        .build();
  }

  /** Streams lost at two checks in a row: the journal is read, and they are woken or released. */
  private Behavior<Command> onCheckLost() {
    if (lost.check(records.view())) {
      context.spawnAnonymous(wakeUp.wakeAllBut(reportedEntityIds(), context.getSelf().narrow()));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onStartedInJournal(StartedInJournal started) {
    for (StreamKey key : lost.stoppedForGood(started.entityIds(), records.view())) {
      String ranOn = records.view().get(key).map(e -> e.status().node()).orElse("?");
      context
          .getLog()
          .info(
              "stream {} on {}: lost, and stopped in the journal; its instruments released",
              key.label(),
              ranOn);
      records.forget(key);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onAcquire(AcquireSlot acquire) {
    StreamSpec spec = acquire.spec();
    SlotReply placed = sockets.place(spec.key(), spec.mode(), Instant.now());
    lost.placed(spec.key());
    if (placed instanceof SlotGranted) {
      // Watched from the grant on: an entity that dies before it ever reports frees its room.
      records.watch(spec.key(), acquire.entity());
    }
    acquire.replyTo().tell(placed);
    return Behaviors.same();
  }

  /**
   * A stream that runs on sockets this registry never placed it on (it took over after a
   * hand-over): placed where its instruments are.
   */
  private void placeIfRunningUnplaced(StreamStatus status, Instant now) {
    if (status.state().holdsSlot() && !sockets.holds(status.key())) {
      sockets.place(status.key(), status.mode(), now);
    }
  }
}
