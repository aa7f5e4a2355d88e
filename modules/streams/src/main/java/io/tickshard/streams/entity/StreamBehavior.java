package io.tickshard.streams.entity;

import io.tickshard.streams.LogFields;
import io.tickshard.streams.entity.StreamEntity.Command;
import io.tickshard.streams.entity.StreamEntity.Event;
import io.tickshard.streams.entity.StreamEntity.GetSnapshot;
import io.tickshard.streams.entity.StreamEntity.GetStatus;
import io.tickshard.streams.entity.StreamEntity.GracefulStop;
import io.tickshard.streams.entity.StreamEntity.IdleCheck;
import io.tickshard.streams.entity.StreamEntity.MarketCloseDue;
import io.tickshard.streams.entity.StreamEntity.PassivateIfIdle;
import io.tickshard.streams.entity.StreamEntity.RestartConnection;
import io.tickshard.streams.entity.StreamEntity.RetrySlot;
import io.tickshard.streams.entity.StreamEntity.SendStatusNow;
import io.tickshard.streams.entity.StreamEntity.SlotForRecovery;
import io.tickshard.streams.entity.StreamEntity.SlotForStarts;
import io.tickshard.streams.entity.StreamEntity.SocketUpdated;
import io.tickshard.streams.entity.StreamEntity.Start;
import io.tickshard.streams.entity.StreamEntity.State;
import io.tickshard.streams.entity.StreamEntity.StatusSent;
import io.tickshard.streams.entity.StreamEntity.Stop;
import io.tickshard.streams.entity.StreamEntity.StreamStarted;
import io.tickshard.streams.entity.StreamEntity.StreamStopped;
import io.tickshard.streams.entity.StreamEntity.Unknown;
import io.tickshard.streams.entity.StreamEntity.ViewersPresent;
import io.tickshard.streams.journal.JournalMonitor;
import io.tickshard.streams.registry.StreamRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
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
 * How a {@link StreamEntity} behaves: by state (idle: never started or stopped; active: started),
 * read off its command handler's builder. It persists only the intent; what it knows while it runs
 * here is its {@link StreamRuntime}, replaced when a recovery completes.
 */
final class StreamBehavior extends EventSourcedBehavior<Command, Event, State> {
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

  StreamBehavior(
      String entityId,
      StreamSettings settings,
      ActorRef<ClusterSharding.ShardCommand> shard,
      ActorRef<StreamRegistry.Command> registry,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(
        // ofUniqueId: the readable key holds "|", which PersistenceId.of reserves as its separator.
        PersistenceId.ofUniqueId(StreamEntity.PERSISTENCE_ID_PREFIX + entityId),
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
    // Its lines, and its runtime's, under the entity's name (persistence names it by this class).
    context.setLoggerName(StreamEntity.class);
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
        .onCommand(
            SendStatusNow.class, (state, now) -> reply(now.replyTo(), new StatusSent(entityId)));
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
                      now.replyTo().tell(new StatusSent(entityId));
                    }))
        .onCommand(
            RestartConnection.class,
            (state, restart) -> none(() -> runtime.restartConnection(restart.reason())))
        .onCommand(
            SlotForRecovery.class,
            (state, decided) -> none(() -> runtime.onSlotForRecovery(state, decided.reply())))
        .onCommand(RetrySlot.class, (state, retry) -> none(() -> runtime.retryPlacement(state)));
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
              log(
                  "started (%d instruments, %s mode)"
                      .formatted(instruments, first.spec().mode().wireName()),
                  started);
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
        .persist(runtime.stoppedNow(reason))
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

  private String label(State state) {
    return state.spec() != null ? state.spec().key().label() : entityId;
  }
}
