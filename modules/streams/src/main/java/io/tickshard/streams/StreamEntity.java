package io.tickshard.streams;

import io.tickshard.feed.FeedMode;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.registry.RegistryAnnouncements;
import io.tickshard.streams.registry.RegistrySettings;
import io.tickshard.streams.registry.StreamHandOver;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.TickTopic;
import io.tickshard.streams.upstream.FeedConnection;
import io.tickshard.streams.upstream.FeedSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One stream key's stream, sharded so that at most one runs in the whole cluster. It persists only
 * that the stream was started (with what) or stopped (and why); remember-entities brings a started
 * one back by itself after its node dies or the cluster restarts. It owns the {@link
 * FeedConnection} child that holds the upstream socket, and the topic its ticks are published on.
 */
public final class StreamEntity
    extends EventSourcedBehavior<StreamEntity.Command, StreamEntity.Event, StreamEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "StreamEntity");

  // ---- protocol -----------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /** Start the stream unless it runs; see {@link StartReply} for the answers. */
  public record Start(StreamSpec spec, ActorRef<StartReply> replyTo) implements Command {}

  /** Stop the stream for good (persisted): closes the socket and forgets the entity. */
  public record Stop(String reason, ActorRef<StopReply> replyTo) implements Command {}

  public record GetStatus(ActorRef<StatusReply> replyTo) implements Command {}

  /**
   * The latest value per instrument, so a late viewer sees prices (prev close included) at once.
   */
  public record GetSnapshot(ActorRef<SnapshotReply> replyTo) implements Command {}

  /** Drop the upstream socket and connect again (for the health check). */
  public record RestartConnection(String reason) implements Command {}

  /**
   * A new registry asks every stream to report at once (see RegistryAnnouncements); running ones
   * send their report to the registry, then every one answers {@link ReportedNow}.
   */
  public record ReportNow(ActorRef<ReportedNow> replyTo) implements Command {}

  /** Sent after the report (if any) went to the registry through this node's proxy. */
  public record ReportedNow(String entityId) implements CborSerializable {}

  /** Sent by sharding to stop the entity (passivation, hand-off, shutdown): closes politely. */
  public record GracefulStop() implements Command {}

  private record FeedReport(FeedConnection.Report report) implements Command {}

  private record LiveAnswer(FeedConnection.Live live, ActorRef<StatusReply> replyTo)
      implements Command {}

  private record SnapshotAnswer(List<Tick> ticks, ActorRef<SnapshotReply> replyTo)
      implements Command {}

  private record MarketCloseDue() implements Command {}

  private record PassivateIfIdle() implements Command {}

  private record FeedConnectionStopped() implements Command {}

  /** The registry's answer to a slot request; {@code start} is null for a recovered stream. */
  private record SlotDecided(Start start, StreamRegistry.SlotReply reply) implements Command {}

  private record RetrySlot() implements Command {}

  /** Answers to {@link Start}. */
  public sealed interface StartReply extends CborSerializable {}

  /** This call started the stream. */
  public record Started(Status status) implements StartReply {}

  /** It was running (connected) already. */
  public record AlreadyRunning(Status status) implements StartReply {}

  /** It was started earlier and is not connected yet (connecting or reconnecting). */
  public record Queued(Status status) implements StartReply {}

  /** It runs in another mode; the mode is not part of the key. */
  public record ModeConflict(FeedMode runningMode, FeedMode requestedMode, Status status)
      implements StartReply {}

  /** Outside market hours; {@code nextOpen} may be null when unknown. */
  public record MarketClosed(Instant nextOpen) implements StartReply {}

  public record Rejected(String reason) implements StartReply {}

  /** The cluster could not decide now (the registry did not answer); try again. */
  public record Unavailable(String reason) implements StartReply {}

  /** Every broker connection slot is held; {@code holders} are the keys that hold them. */
  public record BudgetExhausted(List<String> holders, int budget) implements StartReply {}

  /** Answers to {@link Stop}. */
  public sealed interface StopReply extends CborSerializable {}

  public record Stopped(Status status) implements StopReply {}

  public record NotRunning() implements StopReply {}

  /** Answers to {@link GetStatus}. */
  public sealed interface StatusReply extends CborSerializable {}

  public record Found(Status status) implements StatusReply {}

  /** The key was never started here. */
  public record Unknown() implements StatusReply {}

  public record SnapshotReply(List<Tick> ticks) implements CborSerializable {}

  /** A stream's status as the HTTP contract names it. */
  public record Status(
      String key,
      String status,
      String node,
      long pid,
      Instant startedAt,
      Instant heartbeatAt,
      Instant lastTickAt,
      long ticks,
      int instruments,
      String mode,
      int reconnects,
      String lastError,
      Instant stoppedAt,
      String stopReason)
      implements CborSerializable {}

  // ---- events and state ---------------------------------------------------------------------

  public sealed interface Event extends CborSerializable {}

  public record StreamStarted(StreamSpec spec, Instant at) implements Event {}

  public record StreamStopped(String reason, Instant at) implements Event {}

  /** What the journal knows: nothing yet, a running stream, or a stopped one. */
  public record State(
      StreamSpec spec, Instant startedAt, boolean active, String stopReason, Instant stoppedAt)
      implements CborSerializable {

    static State empty() {
      return new State(null, null, false, null, null);
    }

    boolean known() {
      return spec != null;
    }
  }

  // ---- setup --------------------------------------------------------------------------------

  /** What every entity needs; built once per node. */
  public record Settings(
      FeedSettings feed,
      MarketHours marketHours,
      Duration unknownPassivateAfter,
      Duration askTimeout,
      RegistrySettings registry) {

    /** Everything from configuration except the market hours, which the caller chooses. */
    public static Settings fromConfig(com.typesafe.config.Config config, MarketHours hours) {
      return new Settings(
          FeedSettings.fromConfig(config),
          hours,
          config.getDuration("tickshard.streams.unknown-passivate-after"),
          config.getDuration("tickshard.streams.ask-timeout"),
          RegistrySettings.fromConfig(config, hours));
    }
  }

  /** Starts sharding for stream entities on this node, and the registry they report to. */
  public static ActorRef<ShardingEnvelope<Command>> init(ActorSystem<?> system, Settings settings) {
    ActorRef<StreamRegistry.Command> registry = StreamRegistry.init(system, settings.registry());
    system.systemActorOf(
        RegistryAnnouncements.listener(registry), "registry-announcements", Props.empty());
    StreamHandOver.addToCoordinatedShutdown(system, registry);
    return ClusterSharding.get(system)
        .init(
            Entity.of(
                    TYPE_KEY,
                    context ->
                        create(context.getEntityId(), settings, context.getShard(), registry))
                .withStopMessage(new GracefulStop()));
  }

  public static EntityRef<Command> entityRefFor(ActorSystem<?> system, StreamKey key) {
    return ClusterSharding.get(system).entityRefFor(TYPE_KEY, key.entityId());
  }

  public static Behavior<Command> create(
      String entityId,
      Settings settings,
      ActorRef<ClusterSharding.ShardCommand> shard,
      ActorRef<StreamRegistry.Command> registry) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> new StreamEntity(entityId, settings, shard, registry, context, timers)));
  }

  // ---- behaviour ----------------------------------------------------------------------------

  private static final String FEED_STARTING = "starting";
  private static final Object MARKET_CLOSE_TIMER = "market-close";
  private static final Object PASSIVATE_TIMER = "passivate";
  private static final Object SLOT_TIMER = "slot";

  private final String entityId;
  private final Settings settings;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ActorRef<StreamRegistry.Command> registry;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final String node;
  private final long pid = ProcessHandle.current().pid();

  private ActorRef<FeedConnection.Command> feed;
  private ActorRef<Topic.Command<Tick>> topic;
  private int feedGeneration;
  private String feedStatus = FEED_STARTING;
  private Instant heartbeatAt;
  private String lastError;
  private boolean stopping;
  // Starts that came while the registry was being asked for a slot: one ask answers them all.
  private final List<Start> waitingForSlot = new ArrayList<>();
  // The feed's figures as of its last heartbeat: for answers given without asking it.
  private long ticks;
  private Instant lastTickAt;
  private int reconnects;

  private StreamEntity(
      String entityId,
      Settings settings,
      ActorRef<ClusterSharding.ShardCommand> shard,
      ActorRef<StreamRegistry.Command> registry,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(
        // ofUniqueId: the readable key holds "|", which PersistenceId.of reserves as its separator.
        PersistenceId.ofUniqueId(TYPE_KEY.name() + "|" + entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    this.entityId = entityId;
    this.settings = settings;
    this.shard = shard;
    this.registry = registry;
    this.context = context;
    this.timers = timers;
    this.node = NodeName.of(context.getSystem());
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            StreamStarted.class,
            (state, started) -> new State(started.spec(), started.at(), true, null, null))
        .onEvent(
            StreamStopped.class,
            (state, stopped) ->
                new State(state.spec(), state.startedAt(), false, stopped.reason(), stopped.at()))
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        .build();
  }

  private void onRecovered(State state) {
    if (!state.active()) {
      // Asked about, never started (or stopped): answer and go, leaving nothing remembered.
      timers.startSingleTimer(
          PASSIVATE_TIMER, new PassivateIfIdle(), settings.unknownPassivateAfter());
      return;
    }
    if (settings.marketHours().isOpen(Instant.now())) {
      context
          .getLog()
          .info("stream {} on {}: recovered, asking for a connection slot", label(state), node);
      feedStatus = FEED_STARTING;
      report(state);
      acquireSlot(state, null);
    } else {
      context.getSelf().tell(new MarketCloseDue());
    }
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Start.class, this::onStart)
        .onCommand(Stop.class, this::onStop)
        .onCommand(GetStatus.class, this::onGetStatus)
        .onCommand(LiveAnswer.class, (state, answer) -> replyStatus(state, answer))
        .onCommand(GetSnapshot.class, this::onGetSnapshot)
        .onCommand(
            SnapshotAnswer.class,
            (state, answer) -> {
              answer.replyTo().tell(new SnapshotReply(answer.ticks()));
              return Effect().none();
            })
        .onCommand(RestartConnection.class, this::onRestartConnection)
        .onCommand(FeedReport.class, this::onFeedReport)
        .onCommand(MarketCloseDue.class, this::onMarketClose)
        .onCommand(PassivateIfIdle.class, this::onPassivateIfIdle)
        .onCommand(GracefulStop.class, this::onGracefulStop)
        .onCommand(FeedConnectionStopped.class, this::onFeedStopped)
        .onCommand(SlotDecided.class, this::onSlotDecided)
        .onCommand(
            ReportNow.class,
            (state, now) -> {
              if (state.active()) {
                report(state);
              }
              now.replyTo().tell(new ReportedNow(entityId));
              return Effect().none();
            })
        .onCommand(
            RetrySlot.class,
            (state, retry) -> {
              if (state.active() && feed == null) {
                acquireSlot(state, null);
              }
              return Effect().none();
            })
        .build();
  }

  private Effect<Event, State> onStart(State state, Start start) {
    if (state.active()) {
      Status status = status(state, null);
      if (start.spec().mode() != state.spec().mode()) {
        start.replyTo().tell(new ModeConflict(state.spec().mode(), start.spec().mode(), status));
      } else if ("failed".equals(feedStatus)) {
        start
            .replyTo()
            .tell(
                new Rejected(
                    "the stream failed (" + lastError + "); stop it before starting it again"));
      } else if ("running".equals(feedStatus)) {
        start.replyTo().tell(new AlreadyRunning(status));
      } else {
        start.replyTo().tell(new Queued(status));
      }
      return Effect().none();
    }
    Instant now = Instant.now();
    if (!settings.marketHours().isOpen(now)) {
      start.replyTo().tell(new MarketClosed(settings.marketHours().nextOpen(now).orElse(null)));
      return Effect().none();
    }
    if (!start.spec().key().entityId().equals(entityId)) {
      start.replyTo().tell(new Rejected("this entity serves another stream key"));
      return Effect().none();
    }
    timers.cancel(PASSIVATE_TIMER);
    // A slot first: no socket is opened unless the cluster-wide budget allows it.
    waitingForSlot.add(start);
    if (waitingForSlot.size() == 1) {
      acquireSlot(state, start);
    }
    return Effect().none();
  }

  private void acquireSlot(State state, Start start) {
    String key = start != null ? start.spec().key().value() : state.spec().key().value();
    context.ask(
        StreamRegistry.SlotReply.class,
        registry,
        settings.askTimeout(),
        replyTo ->
            new StreamRegistry.AcquireSlot(
                key, settings.feed().clientId(), context.getSelf(), replyTo),
        (reply, failure) -> new SlotDecided(start, reply));
  }

  private Effect<Event, State> onSlotDecided(State state, SlotDecided decided) {
    Start start = decided.start();
    StreamRegistry.SlotReply reply = decided.reply();
    if (start == null) {
      return onRecoveredSlot(state, reply);
    }
    List<Start> others = new ArrayList<>(waitingForSlot);
    others.remove(start);
    waitingForSlot.clear();
    if (state.active()) {
      // Started meanwhile (by a recovery): answer all as for a running stream.
      onStart(state, start);
      others.forEach(other -> onStart(state, other));
      return Effect().none();
    }
    if (reply == null || reply instanceof StreamRegistry.SlotRefused) {
      StartReply refusal =
          reply instanceof StreamRegistry.SlotRefused refused
              ? new BudgetExhausted(refused.holders(), refused.budget())
              : new Unavailable("the stream registry did not answer in time; try again");
      start.replyTo().tell(refusal);
      others.forEach(other -> other.replyTo().tell(refusal));
      timers.startSingleTimer(
          PASSIVATE_TIMER, new PassivateIfIdle(), settings.unknownPassivateAfter());
      return Effect().none();
    }
    return Effect()
        .persist(new StreamStarted(start.spec(), Instant.now()))
        .thenRun(
            started -> {
              context
                  .getLog()
                  .info(
                      "stream {} on {}: started ({} instruments, {} mode)",
                      label(started),
                      node,
                      started.spec().key().instruments().size(),
                      started.spec().mode().wireName());
              startFeed(started);
              report(started);
              start.replyTo().tell(new Started(status(started, null)));
              // The rest asked for the same key: queued, or a mode conflict.
              others.forEach(other -> onStart(started, other));
            });
  }

  /** A stream that came back by itself gets its socket only with a slot; else it waits. */
  private Effect<Event, State> onRecoveredSlot(State state, StreamRegistry.SlotReply reply) {
    if (!state.active() || feed != null) {
      return Effect().none();
    }
    if (reply instanceof StreamRegistry.SlotGranted) {
      context.getLog().info("stream {} on {}: resumed after recovery", label(state), node);
      startFeed(state);
      report(state);
      return Effect().none();
    }
    lastError =
        reply instanceof StreamRegistry.SlotRefused refused
            ? "waiting for a connection slot: budget "
                + refused.budget()
                + " held by "
                + refused.holders()
            : "waiting for the stream registry";
    timers.startSingleTimer(SLOT_TIMER, new RetrySlot(), settings.feed().heartbeatInterval());
    return Effect().none();
  }

  private Effect<Event, State> onStop(State state, Stop stop) {
    if (!state.active()) {
      stop.replyTo().tell(new NotRunning());
      return Effect().none();
    }
    return persistStopped(
        state, stop.reason(), stopped -> stop.replyTo().tell(new Stopped(status(stopped, null))));
  }

  private Effect<Event, State> onMarketClose(State state, MarketCloseDue due) {
    if (!state.active()) {
      return Effect().none();
    }
    if (settings.marketHours().isOpen(Instant.now())) {
      scheduleMarketClose(); // a timer that fired early: wait for the real close
      return Effect().none();
    }
    return persistStopped(state, "market_closed", stopped -> {});
  }

  private Effect<Event, State> persistStopped(
      State state, String reason, java.util.function.Consumer<State> andThen) {
    return Effect()
        .persist(new StreamStopped(reason, Instant.now()))
        .thenRun(
            stopped -> {
              context.getLog().info("stream {} on {}: stopped ({})", label(stopped), node, reason);
              registry.tell(new StreamRegistry.Deregister(stopped.spec().key().value()));
              andThen.accept(stopped);
              passivate();
            });
  }

  private Effect<Event, State> onGetStatus(State state, GetStatus get) {
    if (!state.known()) {
      get.replyTo().tell(new Unknown());
    } else if (feed == null) {
      get.replyTo().tell(new Found(status(state, null)));
    } else {
      context.ask(
          FeedConnection.Live.class,
          feed,
          settings.askTimeout(),
          FeedConnection.GetLive::new,
          (live, failure) -> new LiveAnswer(live, get.replyTo()));
    }
    return Effect().none();
  }

  private Effect<Event, State> replyStatus(State state, LiveAnswer answer) {
    answer.replyTo().tell(state.known() ? new Found(status(state, answer.live())) : new Unknown());
    return Effect().none();
  }

  private Effect<Event, State> onGetSnapshot(State state, GetSnapshot get) {
    if (feed == null) {
      get.replyTo().tell(new SnapshotReply(List.of()));
    } else {
      context.ask(
          FeedConnection.Snapshot.class,
          feed,
          settings.askTimeout(),
          FeedConnection.GetSnapshot::new,
          (snapshot, failure) ->
              new SnapshotAnswer(snapshot != null ? snapshot.ticks() : List.of(), get.replyTo()));
    }
    return Effect().none();
  }

  private Effect<Event, State> onRestartConnection(State state, RestartConnection restart) {
    if (feed != null) {
      feed.tell(new FeedConnection.RestartConnection(restart.reason()));
    }
    return Effect().none();
  }

  private Effect<Event, State> onFeedReport(State state, FeedReport message) {
    FeedConnection.Report report = message.report();
    if (report instanceof FeedConnection.Connected) {
      feedStatus = "running";
    } else if (report instanceof FeedConnection.Reconnecting reconnecting) {
      feedStatus = "reconnecting";
      lastError = reconnecting.reason();
    } else if (report instanceof FeedConnection.Failed failed) {
      feedStatus = "failed";
      lastError = failed.reason();
    } else if (report instanceof FeedConnection.Heartbeat heartbeat) {
      heartbeatAt = heartbeat.at();
      ticks = heartbeat.ticks();
      lastTickAt = heartbeat.lastTickAt();
      reconnects = heartbeat.reconnects();
    }
    if (state.active()) {
      report(state);
    }
    return Effect().none();
  }

  private Effect<Event, State> onPassivateIfIdle(State state, PassivateIfIdle idle) {
    if (!state.active()) {
      passivate();
    }
    return Effect().none();
  }

  private Effect<Event, State> onGracefulStop(State state, GracefulStop stop) {
    if (feed == null) {
      return Effect().stop();
    }
    if (!stopping) {
      stopping = true;
      if (state.active()) {
        // Not stopped, yet told to go: its node shuts down, or sharding rebalances. It starts
        // again on another node, or (the last node) when the cluster starts again.
        context
            .getLog()
            .info(
                "stream {} on {}: moving off this node, closing its feed here", label(state), node);
      }
      feed.tell(new FeedConnection.Close());
    }
    return Effect().none();
  }

  private Effect<Event, State> onFeedStopped(State state, FeedConnectionStopped stopped) {
    feed = null;
    if (stopping) {
      return Effect().stop();
    }
    if (state.active()) {
      feedStatus = "failed";
      lastError = "the feed connection stopped unexpectedly";
      context.getLog().error("stream {} on {}: {}", label(state), node, lastError);
    }
    return Effect().none();
  }

  // ---- helpers ------------------------------------------------------------------------------

  private void startFeed(State state) {
    ticks = 0;
    lastTickAt = null;
    reconnects = 0;
    if (topic == null) {
      topic = context.spawn(TickTopic.create(state.spec().key()), "tick-topic");
    }
    feedStatus = FEED_STARTING;
    lastError = null;
    heartbeatAt = null;
    ActorRef<FeedConnection.Report> reports =
        context.messageAdapter(FeedConnection.Report.class, FeedReport::new);
    feed =
        context.spawn(
            Behaviors.supervise(
                    FeedConnection.create(state.spec(), settings.feed(), topic, reports))
                .onFailure(
                    SupervisorStrategy.restartWithBackoff(
                        settings.feed().backoffMin(), settings.feed().backoffMax(), 0.2)),
            "feed-" + (++feedGeneration));
    context.watchWith(feed, new FeedConnectionStopped());
    scheduleMarketClose();
  }

  private void scheduleMarketClose() {
    Instant now = Instant.now();
    Optional<Instant> close = settings.marketHours().nextClose(now);
    close.ifPresent(
        at ->
            timers.startSingleTimer(
                MARKET_CLOSE_TIMER, new MarketCloseDue(), Duration.between(now, at)));
  }

  /** Tells the registry how this stream stands (on every change and heartbeat). */
  private void report(State state) {
    registry.tell(
        new StreamRegistry.Report(
            // A feed connection exists only once a slot was granted.
            status(state, null), settings.feed().clientId(), feed != null, context.getSelf()));
  }

  private void passivate() {
    shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
  }

  private String label(State state) {
    return state.spec() != null ? state.spec().key().label() : entityId;
  }

  private Status status(State state, FeedConnection.Live live) {
    String status = state.active() ? feedStatus : "stopped";
    return new Status(
        state.spec().key().value(),
        status,
        node,
        pid,
        state.startedAt(),
        state.active() ? heartbeatAt : null,
        live != null ? live.lastTickAt() : lastTickAt,
        live != null ? live.ticks() : ticks,
        state.spec().key().instruments().size(),
        state.spec().mode().wireName(),
        live != null ? live.reconnects() : reconnects,
        state.active() ? lastError : null,
        state.stoppedAt(),
        state.stopReason());
  }
}
