package io.tickshard.streams.registry;

import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamEntity;
import io.tickshard.streams.StreamKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
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
 *       fails, or is lost.
 *   <li><b>Rebuild.</b> After a hand-over of the singleton, the view and the slots are rebuilt from
 *       the entities' reports, which it asks for at once. Until every Up node has said its streams
 *       reported (or {@code rebuild-window} has passed), answers say {@code complete: false}, and
 *       slot requests wait rather than risk the budget.
 *   <li><b>Health check.</b> On its cron schedule, inside market hours: restart the connection of
 *       every stream whose heartbeat is stale, count streams per node, log one line, keep the
 *       report. The next run is scheduled only after a run ends.
 * </ul>
 */
public final class StreamRegistry extends AbstractBehavior<StreamRegistry.Command> {

  public sealed interface Command extends CborSerializable {}

  /**
   * A stream's latest status, from its entity. {@code holdsSlot}: it was granted a connection slot
   * and has (or is opening) its socket; a recovered stream waiting for a slot has not.
   */
  public record Report(
      StreamEntity.Status status,
      String clientId,
      boolean holdsSlot,
      ActorRef<StreamEntity.Command> entity)
      implements Command {}

  /** The stream stopped for good: forget it and free its slot. */
  public record Deregister(String key) implements Command {}

  /** Asks for a connection slot before opening a socket. */
  public record AcquireSlot(
      String key,
      String clientId,
      ActorRef<StreamEntity.Command> entity,
      ActorRef<SlotReply> replyTo)
      implements Command {}

  public record GetListing(ActorRef<Listing> replyTo) implements Command {}

  public record GetHealth(ActorRef<HealthReport> replyTo) implements Command {}

  /**
   * A node's streams have all reported to the registry named {@code registryId} (see {@link
   * RegistryAnnouncements}).
   */
  public record NodeReported(String registryId, String node) implements Command {}

  private record RebuildDone() implements Command {}

  private record RunHealthCheck() implements Command {}

  private record Announce() implements Command {}

  /** Answers to {@link AcquireSlot}. */
  public sealed interface SlotReply extends CborSerializable {}

  public record SlotGranted() implements SlotReply {}

  /** Every slot is taken; {@code holders} are the stream keys that hold them. */
  public record SlotRefused(List<String> holders, int budget) implements SlotReply {}

  /** Every stream known, with counts per node. */
  public record Listing(
      List<StreamEntity.Status> streams,
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
      StreamEntity.Status status,
      String clientId,
      ActorRef<StreamEntity.Command> entity,
      Instant since) {}

  public static final String NAME = "stream-registry";
  private static final Set<String> HOLDING = Set.of("starting", "running", "reconnecting");
  private static final Object REBUILD_TIMER = "rebuild";
  private static final Object ANNOUNCE_TIMER = "announce";
  private static final Object HEALTH_TIMER = "health";

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

  /** Stream key → the broker client id its slot counts against. */
  private final Map<String, String> slots = new HashMap<>();

  /** Watched entity → the key it last reported or asked for. */
  private final Map<ActorRef<?>, String> watched = new HashMap<>();

  private final List<AcquireSlot> waiting = new ArrayList<>();
  private final Instant since = Instant.now();
  private boolean complete;
  // Announcements and "done" answers carry it, so no answer meant for an earlier registry counts.
  private final String registryId = UUID.randomUUID().toString();
  private final Set<String> nodesReported = new HashSet<>();
  private final ActorRef<
          org.apache.pekko.actor.typed.pubsub.Topic.Command<RegistryAnnouncements.RegistryStarted>>
      announcements;
  private HealthReport latest;
  private Instant nextRun;

  private StreamRegistry(
      ActorContext<Command> context, TimerScheduler<Command> timers, RegistrySettings settings) {
    super(context);
    this.settings = settings;
    this.timers = timers;
    this.node = NodeName.of(context.getSystem());
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
            "stream registry started on {}: budget {} connections, health check {}",
            node,
            settings.maxConnections(),
            settings.healthSchedule());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Report.class, this::onReport)
        .onMessage(Deregister.class, this::onDeregister)
        .onMessage(AcquireSlot.class, this::onAcquire)
        .onSignal(Terminated.class, this::onTerminated)
        .onMessage(RebuildDone.class, this::onRebuildDone)
        .onMessage(NodeReported.class, this::onNodeReported)
        .onMessage(GetListing.class, this::onGetListing)
        .onMessage(GetHealth.class, this::onGetHealth)
        .onMessage(RunHealthCheck.class, this::onRunHealthCheck)
        .onMessage(
            Announce.class,
            announce -> {
              if (!complete) {
                announcements.tell(
                    org.apache.pekko.actor.typed.pubsub.Topic.publish(
                        new RegistryAnnouncements.RegistryStarted(registryId)));
              }
              return this;
            })
        .build();
  }

  // ---- the view -----------------------------------------------------------------------------

  private Behavior<Command> onReport(Report report) {
    String key = report.status().key();
    Entry known = streams.get(key);
    Instant since =
        known != null && known.entity().equals(report.entity()) ? known.since() : Instant.now();
    streams.put(key, new Entry(report.status(), report.clientId(), report.entity(), since));
    watch(key, report.entity());
    // A stream that holds a slot and is connecting or connected has a socket: count it, whatever
    // this registry granted (after a hand-over it granted nothing yet). A failed one has none.
    if (report.holdsSlot() && HOLDING.contains(report.status().status())) {
      slots.put(key, report.clientId());
    } else {
      slots.remove(key);
    }
    return this;
  }

  private Behavior<Command> onDeregister(Deregister deregister) {
    Entry removed = streams.remove(deregister.key());
    slots.remove(deregister.key());
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
      return this;
    }
    return onEntityGone(key, terminated.getRef());
  }

  private Behavior<Command> onEntityGone(String goneKey, ActorRef<?> goneEntity) {
    Entry entry = streams.get(goneKey);
    if (entry != null && entry.entity().equals(goneEntity)) {
      StreamEntity.Status s = entry.status();
      streams.put(
          goneKey,
          new Entry(
              new StreamEntity.Status(
                  s.key(),
                  "lost",
                  s.node(),
                  s.pid(),
                  s.startedAt(),
                  s.heartbeatAt(),
                  s.lastTickAt(),
                  s.ticks(),
                  s.instruments(),
                  s.mode(),
                  s.reconnects(),
                  "its node left or stopped; waiting for it to start elsewhere",
                  null,
                  null),
              entry.clientId(),
              entry.entity(),
              entry.since()));
      slots.remove(goneKey);
      getContext().getLog().info("stream {} on {}: lost, its slot freed", label(goneKey), s.node());
    } else if (entry == null) {
      slots.remove(goneKey); // granted, then gone before its first report
    }
    return grantWaiting();
  }

  private Behavior<Command> onGetListing(GetListing get) {
    List<StreamEntity.Status> all =
        streams.values().stream()
            .map(Entry::status)
            .sorted(Comparator.comparing(StreamEntity.Status::key))
            .toList();
    get.replyTo().tell(new Listing(all, perNode(), all.size(), complete, since));
    return this;
  }

  private Map<String, Integer> perNode() {
    Map<String, Integer> perNode = new TreeMap<>();
    for (Entry entry : streams.values()) {
      if (!"lost".equals(entry.status().status())) {
        perNode.merge(entry.status().node(), 1, Integer::sum);
      }
    }
    return perNode;
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
    if (slots.containsKey(acquire.key())) {
      acquire.replyTo().tell(new SlotGranted());
      return;
    }
    List<String> holders = holders(acquire.clientId());
    if (holders.size() < settings.maxConnections()) {
      slots.put(acquire.key(), acquire.clientId());
      // Watched from the grant on: an entity that dies before it ever reports frees its slot.
      watch(acquire.key(), acquire.entity());
      acquire.replyTo().tell(new SlotGranted());
    } else {
      getContext()
          .getLog()
          .info(
              "stream {}: refused, connection budget {}/{} used",
              label(acquire.key()),
              holders.size(),
              settings.maxConnections());
      acquire.replyTo().tell(new SlotRefused(holders, settings.maxConnections()));
    }
  }

  private List<String> holders(String clientId) {
    return slots.entrySet().stream()
        .filter(slot -> slot.getValue().equals(clientId))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  private Behavior<Command> onRebuildDone(RebuildDone done) {
    return completeView("its rebuild window ended");
  }

  private Behavior<Command> onNodeReported(NodeReported reported) {
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
            slots.size());
    return grantWaiting();
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
    List<String> restarted = new ArrayList<>();
    for (Entry entry : streams.values()) {
      StreamEntity.Status status = entry.status();
      // A reconnecting stream is already on its way back (perhaps in a long cool-off after
      // 805): restarting it would only cut its backoff short.
      if (!status.status().equals("running") && !status.status().equals("starting")) {
        continue;
      }
      if (!slots.containsKey(status.key())) {
        continue; // waiting for a slot: it has no socket to restart
      }
      // Not startedAt: a stream that just moved to another node started long ago, and would be
      // restarted before its first heartbeat there.
      Instant alive = status.heartbeatAt() != null ? status.heartbeatAt() : entry.since();
      if (alive != null
          && Duration.between(alive, now).compareTo(settings.healthStaleAfter()) > 0) {
        entry
            .entity()
            .tell(new StreamEntity.RestartConnection("health check: no heartbeat since " + alive));
        restarted.add(status.key());
      }
    }
    Map<String, Integer> perNode = perNode();
    int running = perNode.values().stream().mapToInt(Integer::intValue).sum();
    String summary =
        "health: "
            + running
            + " streams on "
            + perNode.size()
            + " nodes ("
            + perNode.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "))
            + "), "
            + restarted.size()
            + " stale restarted, budget "
            + slots.size()
            + "/"
            + settings.maxConnections();
    getContext().getLog().info(summary);
    latest =
        new HealthReport(
            now,
            null,
            running,
            perNode,
            restarted,
            slots.size(),
            settings.maxConnections(),
            complete,
            summary);
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
                perNode.values().stream().mapToInt(Integer::intValue).sum(),
                perNode,
                List.of(),
                slots.size(),
                settings.maxConnections(),
                complete,
                "no health check has run yet");
    get.replyTo().tell(report);
    return this;
  }
}
