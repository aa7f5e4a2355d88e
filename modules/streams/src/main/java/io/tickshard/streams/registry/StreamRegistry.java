package io.tickshard.streams.registry;

import io.tickshard.feed.FeedMode;
import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.LogFields;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.sharing.RegistryLink;
import io.tickshard.streams.sharing.SocketStatus;
import io.tickshard.streams.sharing.UpstreamSocket;
import java.time.Duration;
import java.time.Instant;
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
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
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
 *       every change and heartbeat, and deregisters when it stops. Listing asks this actor, not
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
  public record GetTable(int slot, ActorRef<UpstreamSocket.Table> replyTo) implements Command {}

  /** How a socket stands (see {@link RegistryLink.Report}). */
  public record SocketReported(RegistryLink.Report report) implements Command {}

  /** The account's broker sockets. */
  public record GetUpstream(ActorRef<Upstream> replyTo) implements Command {}

  /**
   * @param sharing the placement policy: {@code shared} or {@code dedicated}
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
  public record ResolvedId(String id, StreamKey key) implements CborSerializable {}

  /** How many streams run on {@code node}, by state (lost ones not counted): for metrics. */
  public record GetStreamCounts(String node, ActorRef<StreamCounts> replyTo) implements Command {}

  public record StreamCounts(Map<StreamState, Integer> byState) implements CborSerializable {}

  public record GetHealth(ActorRef<HealthReport> replyTo) implements Command {}

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
   * @param staleRestarted keys whose sockets the check restarted
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
   * Wakes the started streams that did not report to a new registry (their ids read from the
   * journal): the stream entities' side, given by whoever starts the registry.
   */
  @FunctionalInterface
  public interface StreamWakeUp {
    Behavior<?> wakeAllBut(Set<String> reportedEntityIds);
  }

  public static final String NAME = "stream-registry";
  private static final Object REBUILD_TIMER = "rebuild";
  private static final Object ANNOUNCE_TIMER = "announce";
  private static final Object EXPIRE_TIMER = "expire-surplus";
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
  private final StreamView<ActorRef<?>> view = new StreamView<>();
  private final AccountSockets sockets;
  private final HealthRounds health;

  /** Watched entity → the key it last reported or asked for. */
  private final Map<ActorRef<?>, StreamKey> watched = new HashMap<>();

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
    timers.startTimerWithFixedDelay(EXPIRE_TIMER, new ExpireSurplus(), Duration.ofSeconds(1));
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
    return answering(false)
        .onMessage(StatusUpdate.class, this::onStatusUpdate)
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
            view.size(),
            sockets.holding().used());
    context.spawnAnonymous(wakeUp.wakeAllBut(reportedEntityIds()));
    // Streams that run on sockets this registry has not placed them on: placed where their
    // instruments are (adopted from the sockets' reports).
    Instant now = Instant.now();
    view.entries().forEach(entry -> placeIfRunningUnplaced(entry.status(), now));
    return stash.unstashAll(serving());
  }

  /** The entity ids of the streams that reported and are not lost. */
  private Set<String> reportedEntityIds() {
    Set<String> ids = new HashSet<>();
    for (StreamView.Entry<ActorRef<?>> entry : view.entries()) {
      if (entry.status().state() != StreamState.LOST) {
        ids.add(entry.status().key().entityId());
      }
    }
    return ids;
  }

  // ---- serving: the view is complete --------------------------------------------------------

  private Behavior<Command> serving() {
    return answering(true)
        .onMessage(
            StatusUpdate.class,
            update -> {
              onStatusUpdate(update);
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
        .build();
  }

  private Behavior<Command> onAcquire(AcquireSlot acquire) {
    StreamSpec spec = acquire.spec();
    SlotReply placed = sockets.place(spec.key(), spec.mode(), Instant.now());
    if (placed instanceof SlotGranted) {
      // Watched from the grant on: an entity that dies before it ever reports frees its room.
      watch(spec.key(), acquire.entity());
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

  // ---- either state -------------------------------------------------------------------------

  /** What is answered and kept the same way in either state; {@code complete} says which. */
  private BehaviorBuilder<Command> answering(boolean complete) {
    return Behaviors.receive(Command.class)
        .onMessage(Deregister.class, this::onDeregister)
        .onSignal(Terminated.class, this::onTerminated)
        .onMessage(
            GetListing.class,
            get -> {
              List<StreamStatus> all = view.listing();
              get.replyTo().tell(new Listing(all, view.perNode(), all.size(), complete, since));
              return Behaviors.same();
            })
        .onMessage(
            ResolveId.class,
            resolve -> {
              resolve
                  .replyTo()
                  .tell(new ResolvedId(resolve.id(), view.resolve(resolve.id()).orElse(null)));
              return Behaviors.same();
            })
        .onMessage(
            GetStreamCounts.class,
            get -> {
              get.replyTo().tell(new StreamCounts(view.countsOn(get.node())));
              return Behaviors.same();
            })
        .onMessage(
            GetHealth.class,
            get -> {
              get.replyTo().tell(health.report(view, sockets.holding(), complete));
              return Behaviors.same();
            })
        .onMessage(
            RunHealthCheck.class,
            run -> {
              health.run(view, sockets, complete);
              return Behaviors.same();
            })
        .onMessage(
            TickFigures.class,
            reported -> {
              Map<StreamKey, StreamView.KeyFigures> byKey = new HashMap<>();
              reported
                  .keys()
                  .forEach(
                      f ->
                          byKey.put(f.key(), new StreamView.KeyFigures(f.ticks(), f.lastTickAt())));
              view.figures(reported.source(), byKey);
              return Behaviors.same();
            })
        .onMessage(
            SocketReported.class,
            reported -> {
              sockets.reported(reported.report(), complete, Instant.now());
              return Behaviors.same();
            })
        .onMessage(
            GetUpstream.class,
            get -> {
              get.replyTo().tell(sockets.listing(complete));
              return Behaviors.same();
            })
        .onMessage(
            ExpireSurplus.class,
            expire -> {
              sockets.expire(Instant.now());
              return Behaviors.same();
            });
  }

  private Behavior<Command> onStatusUpdate(StatusUpdate report) {
    view.reported(report.status(), report.entity(), Instant.now());
    watch(report.status().key(), report.entity());
    return Behaviors.same();
  }

  private Behavior<Command> onDeregister(Deregister deregister) {
    view.remove(deregister.key())
        .ifPresent(
            removed -> {
              if (watched.remove(removed.entity()) != null) {
                context.unwatch(removed.entity());
              }
            });
    sockets.release(deregister.key(), Instant.now());
    return Behaviors.same();
  }

  /**
   * Watches an entity once, whatever it reports or asks for: a second {@code watchWith} of the same
   * actor with another message would throw.
   */
  private void watch(StreamKey key, ActorRef<?> entity) {
    if (watched.put(entity, key) == null) {
      context.watch(entity);
    }
  }

  private Behavior<Command> onTerminated(Terminated terminated) {
    StreamKey key = watched.remove(terminated.getRef());
    if (key == null) {
      sockets.gone(terminated.getRef());
      return Behaviors.same();
    }
    if (!view.knows(key)) {
      // Placed, then gone before its first report (its caller gave up on the answer): nothing
      // runs for it.
      sockets.release(key, Instant.now());
      return Behaviors.same();
    }
    view.lost(
            key, terminated.getRef(), "its node left or stopped; waiting for it to start elsewhere")
        .ifPresent(
            last ->
                // Its placement stays: it comes back (remembered) and its instruments are still
                // carried.
                LogFields.log(
                    key,
                    last.node(),
                    () ->
                        context
                            .getLog()
                            .info(
                                "stream {} on {}: lost, its instruments kept until it is back",
                                key.label(),
                                last.node())));
    return Behaviors.same();
  }
}
