package io.tickshard.streams.sharing;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.LogFields;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.TickTopic;
import io.tickshard.streams.upstream.FeedConnection;
import io.tickshard.streams.upstream.FeedSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One of the account's broker sockets (docs/architecture.md, "Upstream sockets"), the one owner of
 * a broker connection: a sharded, remembered entity per slot ({@code slot-0} … {@code slot-4}), so
 * there is at most one owner per slot in the cluster, and a slot whose node dies opens again on
 * another node. It carries what the registry placed on it: each instrument once, in the highest
 * mode a key needs; it publishes each tick to every key that needs the instrument, in that key's
 * mode, and tells those keys how the socket stands.
 *
 * <p>It keeps no journal of its own: it starts by asking the registry for its table, then applies
 * the registry's numbered changes in order; a gap (or another registry) makes it ask again. A slot
 * that carries nothing holds no socket, and stays, idle, until the registry places something on it.
 */
public final class UpstreamSocket extends AbstractBehavior<UpstreamSocket.Command> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "UpstreamSocket");

  private static final String ID_PREFIX = "slot-";

  public static String entityId(int slot) {
    return ID_PREFIX + slot;
  }

  // ---- protocol -----------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /**
   * A key riding on this socket, in its mode: its instruments here are those of its key that this
   * socket carries (each instrument is on one socket only).
   */
  public record Route(StreamKey key, FeedMode mode) implements CborSerializable {}

  /**
   * The registry's change number {@code seq} (of registry {@code registryId}): the requests to send
   * on the open socket (unsubscribes of a mode change first), the keys that join or leave it.
   */
  public record Change(
      String registryId,
      long seq,
      List<SocketWire.Request> requests,
      List<Route> joined,
      List<StreamKey> left)
      implements Command {}

  /** Everything this slot should carry, as of change {@code seq}; the answer to GetTable. */
  public record Table(
      String registryId, long seq, Map<FeedMode, String> carried, List<Route> routes)
      implements CborSerializable {}

  /** The registry sees this slot out of step with it: ask for the table again. */
  public record Resync() implements Command {}

  /** A new registry asks: report what is carried (see RegistryAnnouncements), then answer. */
  public record ReportNow(ActorRef<Reported> replyTo) implements Command {}

  public record Reported(String entityId) implements CborSerializable {}

  /** The latest values of a key's instruments here, in the key's mode. */
  public record GetSnapshot(
      List<Instrument> instruments, FeedMode mode, ActorRef<SnapshotReply> replyTo)
      implements Command {}

  public record SnapshotReply(List<Tick> ticks) implements CborSerializable {}

  /** A key's live figures here: ticks routed to it, its last, the socket's reconnects. */
  public record GetFigures(StreamKey key, ActorRef<Figures> replyTo) implements Command {}

  public record Figures(long ticks, Instant lastTickAt, int reconnects)
      implements CborSerializable {}

  /**
   * How this socket stands, for one key riding on it, with the key's figures here (ticks routed to
   * it): sent to the key on every change.
   */
  public record Standing(
      String socket,
      StreamState state,
      Instant heartbeatAt,
      String lastError,
      long ticks,
      Instant lastTickAt,
      int reconnects)
      implements CborSerializable {}

  /** Who hears how a socket stands, per key riding on it: the keys' entities, wherever they run. */
  @FunctionalInterface
  public interface KeyListeners {
    void tell(StreamKey key, Standing standing);
  }

  /** Drop the socket and connect again (the health check's remedy). */
  public record RestartConnection(String reason) implements Command {}

  /** Sent by sharding (hand-off, shutdown): close the socket politely, then stop. */
  public record GracefulStop() implements Command {}

  private record TableArrived(Table table) implements Command {}

  private record TableMissing() implements Command {}

  private record FeedUpdated(FeedConnection.Update update) implements Command {}

  private record FeedStopped(int generation) implements Command {}

  private record SendFigures() implements Command {}

  // ---- setup --------------------------------------------------------------------------------

  /** Starts sharding of the socket slots on this node; see {@code Streams.start}. */
  public static ActorRef<ShardingEnvelope<Command>> init(
      ActorSystem<?> system,
      FeedSettings settings,
      Duration askTimeout,
      RegistryLink registry,
      KeyListeners keys) {
    return ClusterSharding.get(system)
        .init(
            Entity.of(
                    TYPE_KEY,
                    context -> create(context.getEntityId(), settings, askTimeout, registry, keys))
                .withStopMessage(new GracefulStop()));
  }

  public static Behavior<Command> create(
      String entityId,
      FeedSettings settings,
      Duration askTimeout,
      RegistryLink registry,
      KeyListeners keys) {
    return Behaviors.setup(
        context ->
            Behaviors.withMdc(
                Command.class,
                Map.of("socket", entityId, "node", NodeName.of(context.getSystem())),
                Behaviors.withTimers(
                    timers -> {
                      timers.startTimerWithFixedDelay(
                          new SendFigures(), RegistryLink.FIGURES_INTERVAL);
                      return new UpstreamSocket(
                          context, entityId, settings, askTimeout, registry, keys);
                    })));
  }

  private final String entityId;
  private final int slot;
  private final String label;
  private final FeedSettings settings;
  private final Duration askTimeout;
  private final RegistryLink registry;
  private final String node;
  private final Instant since = Instant.now();
  private final SocketTable table = new SocketTable();
  private final SocketRoutes routes = new SocketRoutes();
  private final Map<StreamKey, SocketRoutes.Outlet> outlets = new TreeMap<>();
  private final KeyListeners keys;

  private String syncedRegistry;
  private long syncedSeq;
  private boolean syncing;
  private final List<Change> held = new ArrayList<>();

  private ActorRef<FeedConnection.Command> feed;
  private int feedGeneration;
  private StreamState state = StreamState.STARTING;
  private Instant connectedAt;
  private Instant heartbeatAt;
  private int reconnects;
  private String lastError;
  private boolean closing;

  private UpstreamSocket(
      ActorContext<Command> context,
      String entityId,
      FeedSettings settings,
      Duration askTimeout,
      RegistryLink registry,
      KeyListeners keys) {
    super(context);
    this.entityId = entityId;
    this.slot = Integer.parseInt(entityId.substring(ID_PREFIX.length()));
    this.label = "socket " + entityId;
    this.settings = settings;
    this.askTimeout = askTimeout;
    this.registry = registry;
    this.node = NodeName.of(context.getSystem());
    this.keys = keys;
    askForTable();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Change.class, this::onChange)
        .onMessage(TableArrived.class, arrived -> onTable(arrived.table()))
        .onMessage(TableMissing.class, missing -> syncing ? askForTable() : this)
        .onMessage(Resync.class, resync -> syncing ? this : askForTable())
        .onMessage(FeedUpdated.class, updated -> onFeedUpdate(updated.update()))
        .onMessage(FeedStopped.class, this::onFeedStopped)
        .onMessage(ReportNow.class, this::onReportNow)
        .onMessage(GetSnapshot.class, this::onGetSnapshot)
        .onMessage(
            GetFigures.class,
            get -> {
              SocketRoutes.Outlet outlet = outlets.get(get.key());
              get.replyTo()
                  .tell(
                      outlet == null
                          ? new Figures(0, null, reconnects)
                          : new Figures(outlet.ticks(), outlet.lastTickAt(), reconnects));
              return this;
            })
        .onMessage(RestartConnection.class, this::onRestart)
        .onMessage(GracefulStop.class, stop -> onGracefulStop())
        .onMessage(SendFigures.class, send -> sendFigures())
        .onSignal(PostStop.class, stop -> onPostStop())
        .build();
  }

  // ---- keeping in step with the registry ----------------------------------------------------

  private Behavior<Command> askForTable() {
    syncing = true;
    getContext()
        .pipeToSelf(
            registry.table(slot, askTimeout),
            (table, failure) -> table != null ? new TableArrived(table) : new TableMissing());
    return this;
  }

  private Behavior<Command> onChange(Change change) {
    if (syncing) {
      held.add(change); // applied after the table, if newer than it
      return this;
    }
    if (change.registryId().equals(syncedRegistry) && change.seq() <= syncedSeq) {
      return this; // in the table already
    }
    if (!change.registryId().equals(syncedRegistry) || change.seq() != syncedSeq + 1) {
      held.add(change);
      return askForTable(); // a change is missing, or another registry decides now
    }
    List<FeedRequest> requests = SocketWire.feedRequests(change.requests());
    table.apply(requests);
    change.left().forEach(this::leave);
    change.joined().forEach(this::join);
    syncedSeq = change.seq();
    return carry(requests);
  }

  private Behavior<Command> onTable(Table arrived) {
    if (!syncing && arrived.registryId().equals(syncedRegistry) && arrived.seq() <= syncedSeq) {
      return this; // a second answer (an ask that timed out, answered late): older than what is
    }
    syncing = false;
    syncedRegistry = arrived.registryId();
    syncedSeq = arrived.seq();
    List<FeedRequest> requests = table.replaceWith(SocketWire.modes(arrived.carried()));
    Map<StreamKey, Route> wanted = new HashMap<>();
    arrived.routes().forEach(route -> wanted.put(route.key(), route));
    List.copyOf(outlets.keySet()).stream()
        .filter(key -> !wanted.containsKey(key))
        .forEach(this::leave);
    arrived.routes().forEach(this::join);
    if (!requests.isEmpty() || feed == null) {
      getContext()
          .getLog()
          .info(
              "{} on {}: table from the registry: {} instruments, {} keys",
              label,
              node,
              table.modes().size(),
              outlets.size());
    }
    carry(requests);
    List<Change> later =
        held.stream()
            .filter(c -> c.registryId().equals(syncedRegistry) && c.seq() > syncedSeq)
            .sorted(Comparator.comparingLong(Change::seq))
            .toList();
    held.clear();
    later.forEach(this::onChange);
    return this;
  }

  private void join(Route route) {
    SocketRoutes.Outlet known = outlets.get(route.key());
    StreamKey key = route.key();
    List<Instrument> here =
        key.instruments().stream().filter(table.modes()::containsKey).sorted().toList();
    if (known != null && known.mode == route.mode() && known.instruments.equals(here)) {
      tellKey(known); // the key placed again (it moved to another node): it hears at once
      return;
    }
    SocketRoutes.Outlet outlet =
        new SocketRoutes.Outlet(
            route.key(),
            route.mode(),
            here,
            known != null ? known.topic : getContext().spawnAnonymous(TickTopic.create(key)));
    outlets.put(route.key(), outlet);
    if (known == null) {
      try (LogFields.Scope fields = LogFields.about(key, node)) {
        getContext()
            .getLog()
            .info(
                "{} on {}: carries stream {} ({} of its instruments, {} mode)",
                label,
                node,
                key.label(),
                here.size(),
                route.mode().wireName());
      }
    }
    tellKey(outlet);
  }

  private void leave(StreamKey key) {
    SocketRoutes.Outlet outlet = outlets.remove(key);
    if (outlet != null) {
      getContext().stop(outlet.topic);
      try (LogFields.Scope fields = LogFields.about(key, node)) {
        getContext()
            .getLog()
            .info("{} on {}: no longer carries stream {}", label, node, key.label());
      }
    }
  }

  /** Routes ticks to the keys as they now stand, and gets the socket to carry the table. */
  private Behavior<Command> carry(List<FeedRequest> requests) {
    routes.replace(outlets.values());
    if (table.carriesNothing()) {
      if (feed != null && !closing) {
        getContext().getLog().info("{} on {}: carries nothing now, closing it", label, node);
        feed.tell(new FeedConnection.Close());
        feed = null;
        state = StreamState.STARTING;
        connectedAt = null;
      }
    } else if (feed == null) {
      openFeed();
    } else if (!requests.isEmpty()) {
      feed.tell(new FeedConnection.Resubscribe(table.subscription(label), requests));
    }
    report(null);
    return this;
  }

  // ---- the socket ---------------------------------------------------------------------------

  private void openFeed() {
    state = StreamState.STARTING;
    connectedAt = null;
    int generation = ++feedGeneration;
    ActorRef<FeedConnection.Update> updates =
        getContext().messageAdapter(FeedConnection.Update.class, FeedUpdated::new);
    feed =
        getContext()
            .spawn(
                Behaviors.supervise(
                        FeedConnection.create(table.subscription(label), settings, routes, updates))
                    .onFailure(
                        SupervisorStrategy.restartWithBackoff(
                            settings.backoffMin(), settings.backoffMax(), 0.2)),
                "feed-" + generation);
    getContext().watchWith(feed, new FeedStopped(generation));
    getContext()
        .getLog()
        .info(
            "{} on {}: opening for {} instruments, {} keys",
            label,
            node,
            table.modes().size(),
            outlets.size());
  }

  private Behavior<Command> onFeedUpdate(FeedConnection.Update update) {
    if (update instanceof FeedConnection.Connected connected) {
      state = StreamState.RUNNING;
      connectedAt = connected.at();
      // A connection is a sign of life: a status need not wait a heartbeat period for one. The
      // last problem stays named (why it reconnected) until the next one.
      heartbeatAt = connected.at();
    } else if (update instanceof FeedConnection.Reconnecting reconnecting) {
      state = StreamState.RECONNECTING;
      connectedAt = null;
      lastError = reconnecting.reason();
    } else if (update instanceof FeedConnection.WaitingForCredentials waiting) {
      state = StreamState.WAITING_FOR_CREDENTIALS;
      connectedAt = null;
      lastError = waiting.reason();
    } else if (update instanceof FeedConnection.Failed failed) {
      state = StreamState.FAILED;
      connectedAt = null;
      lastError = failed.reason();
    } else if (update instanceof FeedConnection.Heartbeat heartbeat) {
      heartbeatAt = heartbeat.at();
      reconnects = heartbeat.reconnects();
    }
    outlets.values().forEach(this::tellKey);
    report(null);
    return this;
  }

  private Behavior<Command> onFeedStopped(FeedStopped stopped) {
    if (stopped.generation() != feedGeneration) {
      return this; // one closed earlier, when this slot carried nothing for a moment
    }
    feed = null;
    if (closing) {
      return Behaviors.stopped();
    }
    if (!table.carriesNothing()) {
      getContext()
          .getLog()
          .error("{} on {}: its feed connection stopped; opening again", label, node);
      openFeed();
    }
    return this;
  }

  private Behavior<Command> onRestart(RestartConnection restart) {
    if (feed != null) {
      feed.tell(new FeedConnection.RestartConnection(restart.reason()));
    }
    return this;
  }

  private Behavior<Command> onGracefulStop() {
    if (feed == null) {
      return Behaviors.stopped();
    }
    if (!closing) {
      closing = true;
      getContext().getLog().info("{} on {}: moving off this node, closing it here", label, node);
      feed.tell(new FeedConnection.Close());
    }
    return this;
  }

  private Behavior<Command> onPostStop() {
    getContext().getLog().info("{} on {}: stopped here", label, node);
    return this;
  }

  // ---- telling keys and the registry --------------------------------------------------------

  /** How the socket stands, for one key riding on it. */
  private void tellKey(SocketRoutes.Outlet outlet) {
    keys.tell(
        outlet.key,
        new Standing(
            entityId,
            feed == null ? StreamState.STARTING : state,
            heartbeatAt,
            lastError,
            outlet.ticks(),
            outlet.lastTickAt(),
            reconnects));
  }

  private void report(Map<FeedMode, String> inventory) {
    registry.report(
        new RegistryLink.Report(
            status(), syncedRegistry, syncedSeq, inventory, getContext().getSelf()));
  }

  /** The keys' live figures here, to the registry's listing. */
  private Behavior<Command> sendFigures() {
    List<RegistryLink.KeyFigures> byKey = new ArrayList<>(outlets.size());
    outlets.forEach(
        (key, outlet) ->
            byKey.add(new RegistryLink.KeyFigures(key, outlet.ticks(), outlet.lastTickAt())));
    registry.figures(entityId, byKey);
    return this;
  }

  private Behavior<Command> onReportNow(ReportNow now) {
    report(syncing && syncedRegistry == null ? null : SocketWire.byMode(table.modes()));
    now.replyTo().tell(new Reported(entityId));
    return this;
  }

  private SocketStatus status() {
    SocketState wire =
        feed == null
            ? (table.carriesNothing() ? SocketState.IDLE : SocketState.CONNECTING)
            : SocketState.of(state);
    return new SocketStatus(
        entityId,
        node,
        wire,
        since,
        connectedAt,
        heartbeatAt,
        outlets.size(),
        table.countsPerMode(),
        reconnects,
        lastError);
  }

  private Behavior<Command> onGetSnapshot(GetSnapshot get) {
    if (feed == null) {
      get.replyTo().tell(new SnapshotReply(List.of()));
      return this;
    }
    AskPattern.ask(
            feed,
            (ActorRef<FeedConnection.Snapshot> replyTo) ->
                new FeedConnection.GetSnapshotOf(get.instruments(), replyTo),
            askTimeout,
            getContext().getSystem().scheduler())
        .whenComplete(
            (snapshot, failure) -> {
              List<Tick> ticks = new ArrayList<>();
              if (snapshot != null) {
                snapshot.ticks().forEach(tick -> tick.latestIn(get.mode()).ifPresent(ticks::add));
              }
              get.replyTo().tell(new SnapshotReply(ticks));
            });
    return this;
  }
}
