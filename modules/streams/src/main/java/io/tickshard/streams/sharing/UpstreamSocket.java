package io.tickshard.streams.sharing;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.upstream.FeedConnection;
import io.tickshard.streams.upstream.FeedSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
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

  public sealed interface Command extends CborSerializable {}

  /**
   * The registry's change number {@code seq} (of registry {@code registryId}): the requests to send
   * on the open socket (unsubscribes of a mode change first), the keys that join or leave it.
   */
  public record Change(
      String registryId,
      long seq,
      List<SocketWire.Request> requests,
      List<SocketWire.Route> joined,
      List<StreamKey> left)
      implements Command {}

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

  /** Drop the socket and connect again (the health check's remedy). */
  public record RestartConnection(String reason) implements Command {}

  /** Sent by sharding (hand-off, shutdown): close the socket politely, then stop. */
  public record GracefulStop() implements Command {}

  private record TableArrived(SocketWire.Table table) implements Command {}

  private record TableMissing() implements Command {}

  private record FeedUpdated(FeedConnection.Update update) implements Command {}

  record FeedStopped(int generation) implements Command {}

  private record SendFigures() implements Command {}

  /** The slot's lease answered an acquire (SlotLease). */
  record LeaseAnswered(boolean acquired, Optional<String> failure) implements Command {}

  /** The slot's lease may no longer be held: taken (no reason), or not renewed in time. */
  record LeaseLost(Optional<String> reason) implements Command {}

  record RetryLease() implements Command {}

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
  private final SocketKeys keys;

  private final ChangeSequence changes = new ChangeSequence();
  private final SocketConnection connection = new SocketConnection();
  private final SlotLease lease;

  private final SocketFeed feed;
  private final SlotLease.Socket socket;

  private UpstreamSocket(
      ActorContext<Command> context,
      String entityId,
      FeedSettings settings,
      Duration askTimeout,
      RegistryLink registry,
      KeyListeners keys) {
    super(context);
    context.setLoggerName(UpstreamSocket.class); // its helpers' lines too (SocketKeys)
    this.entityId = entityId;
    this.slot = Integer.parseInt(entityId.substring(ID_PREFIX.length()));
    this.label = "socket " + entityId;
    this.settings = settings;
    this.askTimeout = askTimeout;
    this.registry = registry;
    this.node = NodeName.of(context.getSystem());
    this.keys = new SocketKeys(context, entityId, label, node, keys);
    this.lease = new SlotLease(context, entityId, label, node);
    this.feed = new SocketFeed(context, settings, askTimeout);
    this.socket =
        new SlotLease.Socket(
            feed::open,
            () -> feed.wanted(table.carriesNothing()),
            this::openFeed,
            this::closeForLease,
            this::releaseWhenClosed);
    askForTable();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Change.class, this::onChange)
        .onMessage(TableArrived.class, arrived -> onTable(arrived.table()))
        .onMessage(TableMissing.class, missing -> changes.syncing() ? askForTable() : this)
        .onMessage(Resync.class, resync -> changes.syncing() ? this : askForTable())
        .onMessage(FeedUpdated.class, updated -> onFeedUpdate(updated.update()))
        .onMessage(FeedStopped.class, this::onFeedStopped)
        .onMessage(ReportNow.class, this::onReportNow)
        .onMessage(
            GetSnapshot.class,
            get -> {
              feed.snapshot(get);
              return this;
            })
        .onMessage(
            GetFigures.class,
            get -> {
              get.replyTo().tell(keys.figuresOf(get.key(), connection.reconnects()));
              return this;
            })
        .onMessage(RestartConnection.class, this::onRestart)
        .onMessage(GracefulStop.class, stop -> onGracefulStop())
        .onMessage(SendFigures.class, send -> sendFigures())
        .onMessage(LeaseAnswered.class, answer -> lease.onAnswer(answer, socket))
        .onMessage(LeaseLost.class, lost -> lease.onLost(lost, socket))
        .onMessage(RetryLease.class, retry -> lease.onRetry(socket))
        .onSignal(
            PostStop.class,
            stop -> {
              lease.release();
              getContext().getLog().info("{} on {}: stopped here", label, node);
              return this;
            })
        .build();
  }

  private Behavior<Command> askForTable() {
    changes.resync();
    getContext()
        .pipeToSelf(
            registry.table(slot, askTimeout),
            (table, failure) -> table != null ? new TableArrived(table) : new TableMissing());
    return this;
  }

  private Behavior<Command> onChange(Change change) {
    switch (changes.step(change)) {
      case HOLD, SKIP:
        return this;
      case RESYNC:
        return askForTable();
      default:
        List<FeedRequest> requests = SocketWire.feedRequests(change.requests());
        table.apply(requests);
        change.left().forEach(keys::leave);
        change.joined().forEach(route -> keys.join(route, table.modes(), standing()));
        return carry(requests);
    }
  }

  private Behavior<Command> onTable(SocketWire.Table arrived) {
    if (!changes.take(arrived)) {
      return this;
    }
    List<FeedRequest> requests = table.replaceWith(SocketWire.modes(arrived.carried()));
    keys.keepOnly(arrived.routes().stream().map(SocketWire.Route::key).collect(Collectors.toSet()));
    arrived.routes().forEach(route -> keys.join(route, table.modes(), standing()));
    if (!requests.isEmpty() || !feed.open()) {
      getContext()
          .getLog()
          .info(
              "{} on {}: table from the registry: {} instruments, {} keys",
              label,
              node,
              table.modes().size(),
              keys.size());
    }
    carry(requests);
    changes.heldAfterTable().forEach(this::onChange);
    return this;
  }

  /** Routes ticks to the keys as they now stand, and gets the socket to carry the table. */
  private Behavior<Command> carry(List<FeedRequest> requests) {
    keys.reroute();
    if (table.carriesNothing()) {
      if (feed.open() && !feed.closingToStop()) {
        getContext().getLog().info("{} on {}: carries nothing now, closing it", label, node);
        feed.close();
        connection.opening();
      }
    } else if (!feed.open()) {
      openFeed();
    } else if (!requests.isEmpty()) {
      feed.resubscribe(table.subscription(label), requests);
    }
    report(null);
    return this;
  }

  /** Opens the broker socket once the slot's lease is held (asking for it first). */
  private void openFeed() {
    connection.opening();
    if (!lease.held()) {
      lease.acquire();
      return;
    }
    feed.open(
        table.subscription(label),
        keys.sink(),
        getContext().messageAdapter(FeedConnection.Update.class, FeedUpdated::new));
    getContext()
        .getLog()
        .info(
            "{} on {}: opening for {} instruments, {} keys",
            label,
            node,
            table.modes().size(),
            keys.size());
  }

  private Behavior<Command> onFeedUpdate(FeedConnection.Update update) {
    connection.apply(update);
    keys.tellAll(standing());
    report(null);
    return this;
  }

  private Behavior<Command> onFeedStopped(FeedStopped stopped) {
    boolean current = feed.stopped(stopped);
    releaseWhenClosed();
    if (!current) {
      return this; // one closed earlier, when this slot carried nothing for a moment
    }
    if (feed.closingToStop()) {
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

  /** No socket of this slot is open or closing here, and none is wanted: the lease goes back. */
  private void releaseWhenClosed() {
    if (feed.done(table.carriesNothing())) {
      lease.release();
    }
  }

  private void closeForLease(String reason) {
    getContext().getLog().warn("{} on {}: closing its socket: {}", label, node, reason);
    feed.close();
    connection.opening();
    keys.tellAll(standing());
    report(null);
  }

  private Behavior<Command> onRestart(RestartConnection restart) {
    feed.restart(restart.reason());
    return this;
  }

  private Behavior<Command> onGracefulStop() {
    boolean wasClosing = feed.closingToStop();
    if (!feed.closeToStop()) {
      return Behaviors.stopped();
    }
    if (!wasClosing) {
      getContext().getLog().info("{} on {}: moving off this node, closing it here", label, node);
    }
    return this;
  }

  private SocketKeys.Standing standing() {
    return connection.standing(feed.open());
  }

  private void report(Map<FeedMode, String> inventory) {
    registry.report(
        new RegistryLink.Report(
            status(), changes.registryId(), changes.seq(), inventory, getContext().getSelf()));
  }

  /** The keys' live figures here, to the registry's listing. */
  private Behavior<Command> sendFigures() {
    registry.figures(entityId, keys.figures());
    return this;
  }

  private Behavior<Command> onReportNow(ReportNow now) {
    report(changes.neverSynced() ? null : SocketWire.byMode(table.modes()));
    now.replyTo().tell(new Reported(entityId));
    return this;
  }

  private SocketStatus status() {
    return connection.status(
        entityId, node, since, feed.open(), table.carriesNothing(), keys.size(), table);
  }
}
