package io.tickshard.streams.entity;

import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.LogFields;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.journal.JournalMonitor;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.sharing.UpstreamSocket;
import io.tickshard.streams.ticks.FeedNotice;
import io.tickshard.streams.ticks.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One stream key's stream, sharded so that at most one runs in the whole cluster. It persists only
 * the intent: started (with what) or stopped (and why); remember-entities brings a started one back
 * by itself after its node dies or the cluster restarts. What it holds while it runs here (its
 * lease on the sockets, why it waits) is its {@link StreamRuntime}, built afresh on every
 * (re)start. Its sockets are not its own: the {@link UpstreamSocket}s the registry placed its
 * instruments on carry them, and tell it how they stand.
 */
public final class StreamEntity
    extends EventSourcedBehavior<StreamEntity.Command, StreamEntity.Event, StreamEntity.State> {

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "StreamEntity");

  /** Persistence ids are this and the entity id (the journal's own list of started streams). */
  public static final String PERSISTENCE_ID_PREFIX = TYPE_KEY.name() + "|";

  // ---- protocol -----------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /**
   * Start the stream unless it runs; see {@link StartReply} for the answers.
   *
   * @param answerBy when the caller stops waiting (null: never); a start that arrives later (held
   *     up in a rebalance, or behind a journal outage) is dropped, so that a caller told 503 can
   *     trust that nothing started
   */
  public record Start(StreamSpec spec, ActorRef<StartReply> replyTo, Instant answerBy)
      implements Command {
    public Start(StreamSpec spec, ActorRef<StartReply> replyTo) {
      this(spec, replyTo, null);
    }
  }

  /**
   * Stop the stream for good (persisted): closes the socket and forgets the entity.
   *
   * @param answerBy as for {@link Start}: a stop that arrives after it is dropped
   */
  public record Stop(String reason, ActorRef<StopReply> replyTo, Instant answerBy)
      implements Command {
    public Stop(String reason, ActorRef<StopReply> replyTo) {
      this(reason, replyTo, null);
    }
  }

  public record GetStatus(ActorRef<StatusReply> replyTo) implements Command {}

  /** A node has tick viewers of this stream (for {@code tickshard.streams.idle-stop-after}). */
  public record ViewersPresent() implements Command {}

  /**
   * The latest value per instrument, so a late viewer sees prices (prev close included) at once.
   */
  public record GetSnapshot(ActorRef<SnapshotReply> replyTo) implements Command {}

  /** Its sockets drop their connections and connect again. */
  public record RestartConnection(String reason) implements Command {}

  /**
   * A new registry asks every stream to send its status at once (see RegistryAnnouncements);
   * running ones send it to the registry, then every one answers {@link StatusSent}.
   */
  public record SendStatusNow(ActorRef<StatusSent> replyTo) implements Command {}

  /** Sent after the status (if any) went to the registry through this node's proxy. */
  public record StatusSent(String entityId) implements CborSerializable {}

  /** Sent by sharding to stop the entity (passivation, hand-off, shutdown). */
  public record GracefulStop() implements Command {}

  /** From a socket this key rides on: how it stands, and this key's figures there. */
  public record SocketUpdated(UpstreamSocket.Standing standing) implements Command {}

  /** The registry's answer to the slot request of the starts waiting for it. */
  private record SlotForStarts(StreamKey key, StreamRegistry.SlotReply reply) implements Command {}

  /** The registry's answer to the slot request of a stream that came back by itself. */
  record SlotForRecovery(StreamRegistry.SlotReply reply) implements Command {}

  record RetrySlot() implements Command {}

  record MarketCloseDue() implements Command {}

  private record PassivateIfIdle() implements Command {}

  private record IdleCheck() implements Command {}

  /** Answers to {@link GetStatus}. */
  public sealed interface StatusReply extends CborSerializable {}

  public record Found(StreamStatus status) implements StatusReply {}

  /** The key was never started here. */
  public record Unknown() implements StatusReply {}

  /**
   * @param state how the stream stands ({@code STOPPED} once stopped); null: never started
   * @param stopped null while the stream runs; else what its viewers are told, as it stopped before
   *     the viewer's question reached it
   */
  public record SnapshotReply(List<Tick> ticks, StreamState state, FeedNotice stopped)
      implements CborSerializable {

    /** A snapshot of a running stream. */
    public static SnapshotReply running(List<Tick> ticks, StreamState state) {
      return new SnapshotReply(ticks, state, null);
    }
  }

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

    static State started(StreamStarted started) {
      return new State(started.spec(), started.at(), true, null, null);
    }

    State stopped(StreamStopped stopped) {
      return new State(spec, startedAt, false, stopped.reason(), stopped.at());
    }
  }

  // ---- setup --------------------------------------------------------------------------------

  /** Starts sharding for stream entities on this node; see {@code Streams.start}. */
  public static ActorRef<ShardingEnvelope<Command>> init(
      ActorSystem<?> system, StreamSettings settings, ActorRef<StreamRegistry.Command> registry) {
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
      StreamSettings settings,
      ActorRef<ClusterSharding.ShardCommand> shard,
      ActorRef<StreamRegistry.Command> registry) {
    // Its key and node on every log line (as fields in the JSON log format).
    return Behaviors.setup(
        context ->
            Behaviors.withMdc(
                Command.class,
                Map.of("stream", entityId, "node", NodeName.of(context.getSystem())),
                Behaviors.withTimers(
                    timers ->
                        new StreamEntity(entityId, settings, shard, registry, context, timers))));
  }

  private static final Object PASSIVATE_TIMER = "passivate";
  private static final Object IDLE_TIMER = "idle-stop";

  private final String entityId;
  private final StreamSettings settings;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ActorRef<StreamRegistry.Command> registry;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final WriteGate writes;
  // Replaced when recovery completes, i.e. after every (re)start: see StreamRuntime.
  private StreamRuntime runtime;

  private StreamEntity(
      String entityId,
      StreamSettings settings,
      ActorRef<ClusterSharding.ShardCommand> shard,
      ActorRef<StreamRegistry.Command> registry,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(
        // ofUniqueId: the readable key holds "|", which PersistenceId.of reserves as its separator.
        PersistenceId.ofUniqueId(PERSISTENCE_ID_PREFIX + entityId),
        SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    this.entityId = entityId;
    this.settings = settings;
    this.shard = shard;
    this.registry = registry;
    this.context = context;
    this.timers = timers;
    this.writes = new WriteGate(JournalMonitor.get(context.getSystem()));
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
        .onEvent(StreamStarted.class, (state, started) -> State.started(started))
        .onEvent(StreamStopped.class, State::stopped)
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        // A journal failure restarts the behaviour: who waits for the write hears it failed.
        .onSignal(
            PreRestart.instance(),
            state -> {
              if (runtime != null) { // null: the first recovery failed
                runtime.onJournalFailure(state);
              }
            })
        .build();
  }

  private void onRecovered(State state) {
    runtime = new StreamRuntime(entityId, context, timers, settings, registry);
    if (!state.active()) {
      // Asked about, never started (or stopped): answer and go, leaving nothing remembered.
      timers.startSingleTimer(
          PASSIVATE_TIMER, new PassivateIfIdle(), settings.unknownPassivateAfter());
    } else if (settings.marketHours().isOpen(Instant.now())) {
      log("recovered, asking for a connection slot", state);
      runtime.report(state);
      runtime.scheduleMarketClose(); // also while it waits for a slot
      runtime.askForSlot(state.spec(), SlotForRecovery::new);
      checkIdleLater();
    } else {
      context.getSelf().tell(new MarketCloseDue());
    }
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    CommandHandlerBuilder<Command, Event, State> builder = newCommandHandlerBuilder();
    builder
        .forState(state -> !state.active())
        .onCommand(Start.class, this::onStartWhileIdle)
        .onCommand(SlotForStarts.class, this::onSlotForStarts)
        // Stopping a stopped stream again answers as the first stop did: a retried stop is safe.
        .onCommand(
            Stop.class,
            (state, stop) ->
                reply(
                    stop.replyTo(),
                    state.known()
                        ? new StopReply.AlreadyStopped(runtime.status(state))
                        : new StopReply.NotRunning()))
        .onCommand(PassivateIfIdle.class, (state, idle) -> none(this::passivate))
        .onCommand(
            SocketUpdated.class, (state, updated) -> none(() -> runtime.heard(state, updated)))
        .onCommand(SendStatusNow.class, (state, now) -> reply(now.replyTo(), statusSent()));
    builder
        .forState(State::active)
        .onCommand(
            Start.class,
            (state, start) -> {
              runtime.idle().used(Instant.now());
              return reply(start.replyTo(), whileActive(state, start));
            })
        .onCommand(Stop.class, this::onStop)
        .onCommand(MarketCloseDue.class, this::onMarketClose)
        .onCommand(IdleCheck.class, this::onIdleCheck)
        .onCommand(
            SocketUpdated.class, (state, updated) -> none(() -> runtime.heard(state, updated)))
        .onCommand(
            SendStatusNow.class,
            (state, now) ->
                none(
                    () -> {
                      runtime.report(state);
                      now.replyTo().tell(statusSent());
                    }))
        .onCommand(
            RestartConnection.class,
            (state, restart) -> none(() -> runtime.restartConnection(restart.reason())))
        .onCommand(
            SlotForRecovery.class,
            (state, decided) -> none(() -> runtime.onSlotForRecovery(state, decided.reply())))
        .onCommand(
            RetrySlot.class,
            (state, retry) ->
                none(
                    () -> {
                      if (!runtime.isPlaced()) {
                        runtime.askForSlot(state.spec(), SlotForRecovery::new);
                      }
                    }));
    builder
        .forAnyState()
        .onCommand(GetStatus.class, this::onGetStatus)
        .onCommand(
            ViewersPresent.class,
            (state, present) -> none(() -> runtime.idle().used(Instant.now())))
        .onCommand(
            GetSnapshot.class,
            (state, get) ->
                none(
                    () -> {
                      runtime.idle().used(Instant.now()); // a viewer connecting
                      runtime.answerSnapshot(state, get.replyTo());
                    }))
        .onCommand(
            GracefulStop.class,
            (state, stop) -> {
              runtime.moveOff();
              return Effect().stop();
            })
        // Late answers and timers for a state this entity has left.
        .onAnyCommand(command -> Effect().none());
    return builder.build();
  }

  // ---- idle: never started, or stopped ------------------------------------------------------

  private Effect<Event, State> onStartWhileIdle(State state, Start start) {
    Instant now = Instant.now();
    if (WriteGate.late(start.answerBy(), now)) {
      return Effect().none(); // its caller was told 503 already
    }
    if (!settings.marketHours().isOpen(now)) {
      return reply(
          start.replyTo(),
          new StartReply.MarketClosed(settings.marketHours().nextOpen(now).orElse(null)));
    }
    if (writes.journalKnownDown()) {
      return reply(start.replyTo(), new StartReply.NotRecorded(WriteGate.NOT_TRIED));
    }
    if (!start.spec().key().entityId().equals(entityId)) {
      return reply(
          start.replyTo(), new StartReply.Rejected("this entity serves another stream key"));
    }
    timers.cancel(PASSIVATE_TIMER);
    // A slot first: no socket is opened unless the cluster-wide budget allows it.
    return none(
        () -> {
          if (runtime.awaitSlot(start)) {
            runtime.askForSlot(start.spec(), reply -> new SlotForStarts(start.spec().key(), reply));
          }
        });
  }

  /** Answers every start that waited for this slot request, here and nowhere else. */
  private Effect<Event, State> onSlotForStarts(State state, SlotForStarts decided) {
    Instant now = Instant.now();
    List<Start> waiting =
        runtime.takeWaiting().stream()
            .filter(start -> !WriteGate.late(start.answerBy(), now))
            .toList();
    if (waiting.isEmpty()) {
      // Every caller gave up meanwhile (told 503): start nothing, and give the slot back.
      if (decided.reply() instanceof StreamRegistry.SlotGranted) {
        registry.tell(new StreamRegistry.Deregister(decided.key()));
      }
      return passivateLater();
    }
    if (!(decided.reply() instanceof StreamRegistry.SlotGranted)) {
      StartReply refusal = StartReply.refusal(decided.reply());
      waiting.forEach(start -> start.replyTo().tell(refusal));
      return passivateLater();
    }
    Start first = waiting.get(0);
    runtime.awaitWrite(
        first.spec().key(),
        () ->
            waiting.forEach(
                start ->
                    start.replyTo().tell(new StartReply.NotRecorded(WriteGate.NOT_CONFIRMED))));
    return Effect()
        .persist(new StreamStarted(first.spec(), Instant.now()))
        .thenRun(
            started -> {
              runtime.written();
              int instruments = first.spec().key().instruments().size();
              log("started (%d instruments, %s mode)".formatted(instruments, mode(first)), started);
              runtime.placed(started, (StreamRegistry.SlotGranted) decided.reply());
              checkIdleLater();
              first.replyTo().tell(new StartReply.Started(runtime.status(started)));
              // The rest asked for the same key: queued, or a mode conflict.
              waiting.stream().skip(1).forEach(s -> s.replyTo().tell(whileActive(started, s)));
            });
  }

  // ---- active: started, not stopped --------------------------------------------------------

  /** How a start is answered once the stream runs. */
  private StartReply whileActive(State state, Start start) {
    return StartReply.whileRunning(runtime.status(state), state.spec().mode(), start.spec().mode());
  }

  private Effect<Event, State> onStop(State state, Stop stop) {
    if (WriteGate.late(stop.answerBy(), Instant.now())) {
      return Effect().none(); // its caller was told 503 already
    }
    if (writes.journalKnownDown()) {
      return reply(stop.replyTo(), new StopReply.NotRecorded(WriteGate.NOT_TRIED));
    }
    runtime.awaitWrite(
        state.spec().key(),
        () -> stop.replyTo().tell(new StopReply.NotRecorded(WriteGate.NOT_CONFIRMED)));
    return persistStopped(
        state, stop.reason(), s -> stop.replyTo().tell(new StopReply.Stopped(runtime.status(s))));
  }

  private Effect<Event, State> onMarketClose(State state, MarketCloseDue due) {
    if (settings.marketHours().isOpen(Instant.now())) {
      runtime.scheduleMarketClose(); // a timer that fired early: wait for the real close
      return Effect().none();
    }
    if (writes.journalKnownDown()) {
      runtime.retryMarketCloseSoon(); // the stop is written once the journal is back
      return Effect().none();
    }
    return persistStopped(state, "market_closed", stopped -> {});
  }

  /** Unused for the whole idle period: stop, as a caller's stop would (reason {@code idle}). */
  private Effect<Event, State> onIdleCheck(State state, IdleCheck check) {
    Instant now = Instant.now();
    if (!runtime.idle().due(now)) {
      checkIdleLater();
      return Effect().none();
    }
    if (writes.journalKnownDown()) {
      timers.startSingleTimer(IDLE_TIMER, new IdleCheck(), settings.feed().heartbeatInterval());
      return Effect().none();
    }
    return persistStopped(state, "idle", stopped -> {});
  }

  private void checkIdleLater() {
    if (runtime.idle().enabled()) {
      timers.startSingleTimer(IDLE_TIMER, new IdleCheck(), runtime.idle().untilDue(Instant.now()));
    }
  }

  private Effect<Event, State> persistStopped(State state, String reason, Consumer<State> then) {
    return Effect()
        .persist(new StreamStopped(reason, Instant.now()))
        .thenRun(
            stopped -> {
              runtime.written();
              log("stopped (" + reason + ")", stopped);
              runtime.announceStopped(stopped);
              registry.tell(new StreamRegistry.Deregister(stopped.spec().key()));
              then.accept(stopped);
              passivate();
            });
  }

  // ---- any state ----------------------------------------------------------------------------

  private Effect<Event, State> onGetStatus(State state, GetStatus get) {
    if (!state.known()) {
      return reply(get.replyTo(), new Unknown());
    }
    runtime.idle().used(Instant.now());
    return none(() -> runtime.answerStatus(state, get.replyTo()));
  }

  /** Nothing started: go after a while, as an entity only asked about does. */
  private Effect<Event, State> passivateLater() {
    timers.startSingleTimer(
        PASSIVATE_TIMER, new PassivateIfIdle(), settings.unknownPassivateAfter());
    return Effect().none();
  }

  private void passivate() {
    shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
  }

  // ---- helpers ------------------------------------------------------------------------------

  private StatusSent statusSent() {
    return new StatusSent(entityId);
  }

  private <R> Effect<Event, State> reply(ActorRef<R> replyTo, R reply) {
    return none(() -> replyTo.tell(reply));
  }

  private Effect<Event, State> none(Runnable sideEffect) {
    sideEffect.run();
    return Effect().none();
  }

  private void log(String what, State state) {
    LogFields.log(
        entityId,
        runtime.node(),
        () -> context.getLog().info("stream {} on {}: {}", label(state), runtime.node(), what));
  }

  private static String mode(Start start) {
    return start.spec().mode().wireName();
  }

  private String label(State state) {
    return state.spec() != null ? state.spec().key().label() : entityId;
  }
}
