package io.tickshard.streams.entity;

import io.tickshard.streams.LogFields;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.ticks.FeedNotice;
import io.tickshard.streams.ticks.StreamNotices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What a {@link StreamEntity} knows only while it lives on this node: its lease on the sockets that
 * carry its instruments ({@link SocketLease}), why it waits when it is not placed, the starts
 * waiting for one placement request, and what its viewers were last told.
 *
 * <p>The entity builds a new one each time it (re)starts, when its recovery completes: a persist
 * failure restarts the event-sourced behaviour as the same object, so nothing here may outlive that
 * restart.
 */
final class StreamRuntime {
  private static final Object MARKET_CLOSE_TIMER = "market-close";
  private static final Object SLOT_TIMER = "slot";

  private final String entityId;
  private final ActorContext<StreamEntity.Command> context;
  private final TimerScheduler<StreamEntity.Command> timers;
  private final MarketHours marketHours;
  private final Duration retryPlacementAfter;
  private final Duration askTimeout;
  private final ActorRef<StreamRegistry.Command> registry;
  private final String node;
  private final IdleStop idle;
  private final long pid = ProcessHandle.current().pid();
  private final SocketLease lease;
  private final List<StreamEntity.Start> waitingForSlot = new ArrayList<>();

  // Why a stream that is not placed waits; null when it is placed, or has not asked yet.
  private String waitingReason;
  // The state its viewers were last told (StreamNotices); null: none yet from this incarnation.
  private StreamState announced;
  // Who to tell, should the write in flight fail (the behaviour then restarts, and this goes).
  private Runnable onWriteFailed;
  private StreamKey writing;

  StreamRuntime(
      String entityId,
      ActorContext<StreamEntity.Command> context,
      TimerScheduler<StreamEntity.Command> timers,
      StreamSettings settings,
      ActorRef<StreamRegistry.Command> registry) {
    this.entityId = entityId;
    this.context = context;
    this.timers = timers;
    this.marketHours = settings.marketHours();
    this.retryPlacementAfter = settings.feed().heartbeatInterval();
    this.askTimeout = settings.askTimeout();
    this.registry = registry;
    this.node = NodeName.of(context.getSystem());
    this.idle = new IdleStop(settings.idleStopAfter(), Instant.now());
    this.lease = new SocketLease(context.getSystem(), settings.askTimeout());
  }

  /** When this stream, unused, stops by itself; a new period on every (re)start here. */
  IdleStop idle() {
    return idle;
  }

  String node() {
    return node;
  }

  // ---- placement ----------------------------------------------------------------------------

  /** Queues a start for the placement request; true when it is the first, which must ask. */
  boolean awaitSlot(StreamEntity.Start start) {
    waitingForSlot.add(start);
    return waitingForSlot.size() == 1;
  }

  /** The starts the placement answer is for, in their order; none wait afterwards. */
  List<StreamEntity.Start> takeWaiting() {
    List<StreamEntity.Start> waiting = List.copyOf(waitingForSlot);
    waitingForSlot.clear();
    return waiting;
  }

  /** Asks the registry to place the key's instruments; its answer comes back as {@code answer}. */
  void askForSlot(
      StreamSpec spec, Function<StreamRegistry.SlotReply, StreamEntity.Command> answer) {
    context.ask(
        StreamRegistry.SlotReply.class,
        registry,
        askTimeout,
        replyTo -> new StreamRegistry.AcquireSlot(spec, context.getSelf(), replyTo),
        (reply, failure) -> answer.apply(reply));
  }

  /** The key rides on the sockets granted; it stands as they do. Awaits the market's close. */
  void placed(StreamEntity.State state, StreamRegistry.SlotGranted granted) {
    waitingReason = null;
    lease.placedOn(granted.sockets());
    report(state);
    scheduleMarketClose();
  }

  /** A recovered stream not placed yet: placed now, or it waits and asks again later. */
  void onSlotForRecovery(StreamEntity.State state, StreamRegistry.SlotReply reply) {
    if (lease.placed()) {
      return;
    }
    if (reply instanceof StreamRegistry.SlotGranted granted) {
      log(state, "resumed after recovery");
      placed(state, granted);
      return;
    }
    waitingReason =
        reply instanceof StreamRegistry.SlotRefused refused
            ? "waiting for a connection slot: budget "
                + refused.budget()
                + " held by "
                + refused.holders()
            : reply instanceof StreamRegistry.InstrumentsRefused refused
                ? "waiting for room on the sockets: "
                    + refused.needed()
                    + " instruments needed, "
                    + refused.inUse()
                    + " of "
                    + refused.capacity()
                    + " in use"
                : "waiting for the stream registry";
    report(state);
    timers.startSingleTimer(SLOT_TIMER, new StreamEntity.RetrySlot(), retryPlacementAfter);
  }

  /** The retry timer of a recovered stream not placed yet: it asks again. */
  void retryPlacement(StreamEntity.State state) {
    if (!lease.placed()) {
      askForSlot(state.spec(), StreamEntity.SlotForRecovery::new);
    }
  }

  /** Word from a socket this key rides on (it may come before the key is placed: kept). */
  void heard(StreamEntity.State state, StreamEntity.SocketUpdated updated) {
    lease.heard(updated.standing());
    if (lease.placed() && state.active()) {
      report(state);
    }
  }

  /** The health check's remedy, asked of the key: its sockets connect again. */
  void restartConnection(String reason) {
    if (lease.placed()) {
      lease.restart(reason);
    }
  }

  // ---- journal writes -----------------------------------------------------------------------

  /** A write for {@code key} is in flight: {@code onFailure} answers its callers should it fail. */
  void awaitWrite(StreamKey key, Runnable onFailure) {
    writing = key;
    onWriteFailed = onFailure;
  }

  void written() {
    writing = null;
    onWriteFailed = null;
  }

  /**
   * The journal failed, and the behaviour restarts: the key's placement is given back; the callers
   * of the write hear it did not happen. The restart recovers what the journal holds, and asks to
   * be placed again if that says "started".
   */
  void onJournalFailure(StreamEntity.State state) {
    if (onWriteFailed != null) {
      onWriteFailed.run();
    }
    takeWaiting()
        .forEach(
            start ->
                start
                    .replyTo()
                    .tell(
                        new StartReply.NotRecorded(
                            "the journal failed while this start waited; try again")));
    StreamKey key = writing != null ? writing : state.known() ? state.spec().key() : null;
    if (key != null) {
      registry.tell(new StreamRegistry.Deregister(key));
    }
    written();
    String label = key != null ? key.label() : entityId;
    LogFields.log(
        entityId,
        node,
        () ->
            context
                .getLog()
                .warn(
                    "stream {} on {}: the journal failed; restarting from what it recorded",
                    label,
                    node));
  }

  // ---- market close and moving --------------------------------------------------------------

  /** The close is due and cannot be written now: try again a heartbeat later. */
  void retryMarketCloseSoon() {
    timers.startSingleTimer(
        MARKET_CLOSE_TIMER, new StreamEntity.MarketCloseDue(), retryPlacementAfter);
  }

  void scheduleMarketClose() {
    Instant now = Instant.now();
    marketHours
        .nextClose(now)
        .ifPresent(
            at ->
                timers.startSingleTimer(
                    MARKET_CLOSE_TIMER,
                    new StreamEntity.MarketCloseDue(),
                    Duration.between(now, at)));
  }

  /**
   * Sharding asks the entity to go (hand-off, shutdown): its sockets keep carrying its instruments,
   * and its placement stays with the registry while it moves. Starts that reached it after its stop
   * and before sharding's stop message are sent on, so the shard hands them to its next incarnation
   * rather than losing them with this one.
   */
  void moveOff() {
    takeWaiting()
        .forEach(
            start ->
                ClusterSharding.get(context.getSystem())
                    .entityRefFor(StreamEntity.TYPE_KEY, entityId)
                    .tell(start));
  }

  void log(StreamEntity.State state, String what) {
    LogFields.log(
        entityId,
        node,
        () -> context.getLog().info("stream {} on {}: {}", state.spec().key().label(), node, what));
  }

  // ---- status -------------------------------------------------------------------------------

  /** The stop to record now, with the figures the stream last heard from its sockets. */
  StreamEntity.StreamStopped stoppedNow(String reason) {
    SocketLease.Standing standing = lease.placed() ? lease.standing() : null;
    return standing == null
        ? new StreamEntity.StreamStopped(reason, Instant.now(), null, null)
        : new StreamEntity.StreamStopped(
            reason, Instant.now(), standing.ticks(), standing.lastTickAt());
  }

  /** How the stream stands: as its sockets do once placed; stopped, as its stop recorded. */
  StreamStatus status(StreamEntity.State state) {
    StreamStatus status = StreamStatus.of(state.spec(), state.startedAt(), node, pid);
    SocketLease.Standing standing = lease.placed() ? lease.standing() : null;
    if (!state.active() && state.ticks() != null) {
      status = status.withFigures(state.ticks(), state.lastTickAt(), 0);
    } else if (standing != null) {
      status = status.withFigures(standing.ticks(), standing.lastTickAt(), standing.reconnects());
    }
    if (!state.active()) {
      return status.stopped(state.stoppedAt(), state.stopReason());
    }
    if (standing == null) {
      return status.withLastError(waitingReason);
    }
    return status
        .withState(standing.state())
        .withHeartbeatAt(standing.heartbeatAt())
        .withLastError(standing.lastError())
        .withSockets(lease.sockets());
  }

  /**
   * Answers a status with the sockets' live figures. The status is taken now, on the entity's
   * thread; only the figures come from the sockets' later answers.
   */
  void answerStatus(StreamEntity.State state, ActorRef<StreamEntity.StatusReply> replyTo) {
    StreamStatus known = status(state);
    CompletionStage<StreamStatus> live =
        lease.placed() && state.active()
            ? lease
                .figures(state.spec().key())
                .thenApply(f -> known.withFigures(f.ticks(), f.lastTickAt(), f.reconnects()))
            : CompletableFuture.completedFuture(known);
    live.whenComplete(
        (status, failure) -> replyTo.tell(new StreamEntity.Found(status != null ? status : known)));
  }

  /** The latest values per instrument, from the sockets; none before it is placed. */
  void answerSnapshot(StreamEntity.State state, ActorRef<StreamEntity.SnapshotReply> replyTo) {
    if (!state.active()) {
      replyTo.tell(
          new StreamEntity.SnapshotReply(
              List.of(),
              state.known() ? StreamState.STOPPED : null,
              new FeedNotice(
                  entityId,
                  StreamState.STOPPED,
                  node,
                  state.known() ? state.stopReason() : "never started",
                  state.known() ? state.stoppedAt() : Instant.now())));
    } else if (lease.placed()) {
      lease.snapshot(state.spec(), status(state).state(), replyTo);
    } else {
      replyTo.tell(StreamEntity.SnapshotReply.running(List.of(), StreamState.STARTING));
    }
  }

  /**
   * Tells the registry how this stream stands (on every change and heartbeat), and its viewers on
   * every node when its state changed.
   */
  void report(StreamEntity.State state) {
    StreamStatus status = status(state);
    registry.tell(new StreamRegistry.StatusUpdate(status, lease.placed(), context.getSelf()));
    if (status.state() != announced) {
      announce(status.state(), status.lastError());
    }
  }

  /** Its viewers hear it stopped: the last word they get (their streams end). */
  void announceStopped(StreamEntity.State stopped) {
    announce(StreamState.STOPPED, stopped.stopReason());
  }

  private void announce(StreamState now, String reason) {
    announced = now;
    StreamNotices.get(context.getSystem())
        .publish(new FeedNotice(entityId, now, node, reason, Instant.now()));
  }
}
