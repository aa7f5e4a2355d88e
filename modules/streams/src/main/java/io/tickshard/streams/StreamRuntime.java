package io.tickshard.streams;

import io.tickshard.streams.broker.Broker;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.ticks.FeedNotice;
import io.tickshard.streams.ticks.StreamNotices;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.TickTopic;
import io.tickshard.streams.upstream.FeedConnection;
import io.tickshard.streams.upstream.FeedSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What a {@link StreamEntity} knows only while it lives on this node: its {@link FeedConnection}
 * child and tick topic, how the feed stands, the figures of its last heartbeat, and the starts
 * waiting for one slot request.
 *
 * <p>The entity builds a new one each time it (re)starts, when its recovery completes: a persist
 * failure restarts the event-sourced behaviour as the same object and stops its children, so
 * nothing here may outlive that restart.
 */
final class StreamRuntime {
  private static final Object MARKET_CLOSE_TIMER = "market-close";
  private static final Object SLOT_TIMER = "slot";

  private final String entityId;
  private final ActorContext<StreamEntity.Command> context;
  private final TimerScheduler<StreamEntity.Command> timers;
  private final MarketHours marketHours;
  private final FeedSettings settings;
  private final Duration askTimeout;
  private final ActorRef<StreamRegistry.Command> registry;
  private final String node;
  private final IdleStop idle;
  private final long pid = ProcessHandle.current().pid();

  private ActorRef<FeedConnection.Command> feed;
  private ActorRef<Topic.Command<Tick>> topic;
  private int feedGeneration;
  private StreamState feedState = StreamState.STARTING;
  private String lastError;
  private Instant heartbeatAt;
  private long ticks;
  private Instant lastTickAt;
  private int reconnects;
  private boolean closing;
  // The state its viewers were last told (StreamNotices); null: none yet from this incarnation.
  private StreamState announced;
  private final List<StreamEntity.Start> waitingForSlot = new ArrayList<>();
  // Shared mode: no socket of its own, a lease on the shared sockets; null in dedicated mode.
  private final SocketLease lease;
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
    this.settings = settings.feed();
    this.askTimeout = settings.askTimeout();
    this.registry = registry;
    this.node = NodeName.of(context.getSystem());
    this.idle = new IdleStop(settings.idleStopAfter(), Instant.now());
    this.lease =
        settings.registry().shared()
            ? new SocketLease(context.getSystem(), settings.askTimeout())
            : null;
  }

  /** When this stream, unused, stops by itself; a new period on every (re)start here. */
  IdleStop idle() {
    return idle;
  }

  String node() {
    return node;
  }

  // ---- starts waiting for a slot ------------------------------------------------------------

  /** Queues a start for the slot request; true when it is the first, which must ask. */
  boolean awaitSlot(StreamEntity.Start start) {
    waitingForSlot.add(start);
    return waitingForSlot.size() == 1;
  }

  /** The starts the slot answer is for, in their order; none wait afterwards. */
  List<StreamEntity.Start> takeWaiting() {
    List<StreamEntity.Start> waiting = List.copyOf(waitingForSlot);
    waitingForSlot.clear();
    return waiting;
  }

  /** A recovered stream waits for a slot it was not granted; its status says why. */
  private void waitingForSlot(StreamRegistry.SlotReply reply) {
    lastError =
        reply instanceof StreamRegistry.SlotRefused refused
            ? "waiting for a connection slot: budget "
                + refused.budget()
                + " held by "
                + refused.holders()
            : "waiting for the stream registry";
  }

  /** Asks the registry for a connection slot; its answer comes back as {@code answer}. */
  void askForSlot(
      StreamSpec spec, Function<StreamRegistry.SlotReply, StreamEntity.Command> answer) {
    context.ask(
        StreamRegistry.SlotReply.class,
        registry,
        askTimeout,
        replyTo ->
            new StreamRegistry.AcquireSlot(
                spec.key().value(), spec.mode(), clientId(), context.getSelf(), replyTo),
        (reply, failure) -> answer.apply(reply));
  }

  /**
   * The commands about this node's socket; those for a running stream only while it runs.
   *
   * @return true when the entity is to stop now: sharding asked it to go, and its socket is closed
   */
  boolean handle(StreamEntity.State state, StreamEntity.RuntimeCommand command) {
    if (command instanceof StreamEntity.GracefulStop) {
      return onGracefulStop(state);
    } else if (command instanceof StreamEntity.FeedConnectionStopped) {
      return onFeedStopped(state);
    } else if (command instanceof StreamEntity.SendStatusNow now) {
      if (state.active()) {
        report(state);
      }
      now.replyTo().tell(new StreamEntity.StatusSent(entityId));
    } else if (command instanceof StreamEntity.GetSnapshot get) {
      idle.used(Instant.now()); // a viewer connecting
      answerSnapshot(state, get.replyTo());
    } else if (command instanceof StreamEntity.RestartConnection restart) {
      restartConnection(restart.reason());
    } else if (command instanceof StreamEntity.SocketUpdated updated) {
      // May come before the start is written (the socket heard of the key first): kept for then.
      if (lease != null) {
        lease.heard(updated);
        if (lease.placed() && state.active()) {
          standAsSockets();
          report(state);
        }
      }
    } else if (!state.active()) {
      return false; // a late answer or timer for a stream that stopped meanwhile
    } else if (command instanceof StreamEntity.FeedUpdated updated) {
      if (feed != null) { // else from a feed child stopped by a restart: not this runtime's
        onFeedUpdate(updated.update());
        report(state);
      }
    } else if (command instanceof StreamEntity.SlotForRecovery decided) {
      onSlotForRecovery(state, decided.reply());
    } else if (command instanceof StreamEntity.RetrySlot
        && feed == null
        && !placedOnSockets()
        && !closing) {
      askForSlot(state.spec(), StreamEntity.SlotForRecovery::new);
    }
    return false;
  }

  /** A stream that came back by itself gets its socket only with a slot; else it waits. */
  private void onSlotForRecovery(StreamEntity.State state, StreamRegistry.SlotReply reply) {
    if (feed != null || placedOnSockets() || closing) {
      return;
    }
    if (reply instanceof StreamRegistry.SlotGranted granted) {
      log(state, "resumed after recovery");
      startFeed(state, granted);
      return;
    }
    waitingForSlot(reply);
    timers.startSingleTimer(SLOT_TIMER, new StreamEntity.RetrySlot(), settings.heartbeatInterval());
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
   * The journal failed, and the behaviour restarts: its socket goes with it (children are stopped),
   * so the slot is given back; the callers of the write hear it did not happen. The restart
   * recovers what the journal holds, and asks for a slot again if that says "started".
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
      registry.tell(new StreamRegistry.Deregister(key.value()));
    }
    written();
    context
        .getLog()
        .warn(
            "stream {} on {}: the journal failed; restarting from what it recorded",
            key != null ? key.label() : entityId,
            node);
  }

  // ---- the feed -----------------------------------------------------------------------------

  /**
   * Opens the socket (a slot was granted), or in shared mode rides on the sockets that carry its
   * instruments; tells the registry, and awaits the market's close.
   */
  void startFeed(StreamEntity.State state, StreamRegistry.SlotGranted granted) {
    StreamSpec spec = state.spec();
    ticks = 0;
    lastTickAt = null;
    reconnects = 0;
    feedState = StreamState.STARTING;
    lastError = null;
    heartbeatAt = null;
    if (lease != null) {
      lease.placedOn(granted.sockets());
      standAsSockets();
      report(state);
      scheduleMarketClose();
      return;
    }
    if (topic == null) {
      topic = context.spawn(TickTopic.create(spec.key()), "tick-topic");
    }
    ActorRef<FeedConnection.Update> updates =
        context.messageAdapter(FeedConnection.Update.class, StreamEntity.FeedUpdated::new);
    feed =
        context.spawn(
            Behaviors.supervise(FeedConnection.create(spec, settings, topic, updates))
                .onFailure(
                    SupervisorStrategy.restartWithBackoff(
                        settings.backoffMin(), settings.backoffMax(), 0.2)),
            "feed-" + (++feedGeneration));
    context.watchWith(feed, new StreamEntity.FeedConnectionStopped());
    report(state);
    scheduleMarketClose();
  }

  /** The close is due and cannot be written now: try again a heartbeat later. */
  void retryMarketCloseSoon() {
    timers.startSingleTimer(
        MARKET_CLOSE_TIMER, new StreamEntity.MarketCloseDue(), settings.heartbeatInterval());
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

  /** Shared mode: the key stands as its sockets do. */
  private void standAsSockets() {
    SocketLease.Standing standing = lease.standing();
    feedState = standing.state();
    ticks = standing.ticks();
    lastTickAt = standing.lastTickAt();
    heartbeatAt = standing.heartbeatAt();
    reconnects = standing.reconnects();
    lastError = standing.lastError();
  }

  private boolean placedOnSockets() {
    return lease != null && lease.placed();
  }

  private void onFeedUpdate(FeedConnection.Update update) {
    if (update instanceof FeedConnection.Figures figures) {
      // Reported at once (as every update is): the listing's figures are this fresh.
      ticks = figures.ticks();
      lastTickAt = figures.lastTickAt();
      return;
    }
    if (update instanceof FeedConnection.Connected) {
      feedState = StreamState.RUNNING;
    } else if (update instanceof FeedConnection.Reconnecting reconnecting) {
      feedState = StreamState.RECONNECTING;
      lastError = reconnecting.reason();
    } else if (update instanceof FeedConnection.WaitingForCredentials waiting) {
      feedState = StreamState.WAITING_FOR_CREDENTIALS;
      lastError = waiting.reason();
    } else if (update instanceof FeedConnection.Failed failed) {
      feedState = StreamState.FAILED;
      lastError = failed.reason();
    } else if (update instanceof FeedConnection.Heartbeat heartbeat) {
      heartbeatAt = heartbeat.at();
      ticks = heartbeat.ticks();
      lastTickAt = heartbeat.lastTickAt();
      reconnects = heartbeat.reconnects();
    }
  }

  /** The account whose connection budget the stream counts against: the credentials' client. */
  private String clientId() {
    return Broker.get(context.getSystem()).current().clientId();
  }

  private void restartConnection(String reason) {
    if (placedOnSockets()) {
      lease.restart(reason);
    }
    if (feed != null) {
      feed.tell(new FeedConnection.RestartConnection(reason));
    }
  }

  /** Closes the feed politely; true (stop now) when there is none, so nothing to wait for. */
  private boolean onGracefulStop(StreamEntity.State state) {
    // Starts that reached it after its stop and before sharding's stop message (a page that
    // restarts a key at once): sent on, so that the shard hands them to its next incarnation
    // rather than losing them with this one.
    takeWaiting()
        .forEach(
            start ->
                ClusterSharding.get(context.getSystem())
                    .entityRefFor(StreamEntity.TYPE_KEY, entityId)
                    .tell(start));
    if (feed == null) {
      // Shared mode too: its lease stays with the registry while it moves to another node.
      return true;
    }
    if (!closing) {
      closing = true;
      if (state.active()) {
        // Not stopped, yet told to go: its node shuts down, or sharding rebalances. It starts
        // again on another node, or (the last node) when the cluster starts again.
        log(state, "moving off this node, closing its feed here");
        announce(StreamState.RECONNECTING, "moving off " + node + " to another node");
      }
      feed.tell(new FeedConnection.Close());
    }
    return false;
  }

  /** The feed child is gone: closed as asked (stop now), or stopped by itself, a failure. */
  private boolean onFeedStopped(StreamEntity.State state) {
    feed = null;
    if (closing) {
      return true;
    }
    if (state.active()) {
      feedState = StreamState.FAILED;
      lastError = "the feed connection stopped unexpectedly";
      context.getLog().error("stream {} on {}: {}", state.spec().key().label(), node, lastError);
    }
    return false;
  }

  private void log(StreamEntity.State state, String what) {
    context.getLog().info("stream {} on {}: {}", state.spec().key().label(), node, what);
  }

  // ---- status -------------------------------------------------------------------------------

  /** How the stream stands, with the figures of the feed's last heartbeat. */
  StreamStatus status(StreamEntity.State state) {
    StreamStatus status =
        StreamStatus.of(state.spec(), state.startedAt(), node, pid)
            .withFigures(ticks, lastTickAt, reconnects);
    if (!state.active()) {
      return status.stopped(state.stoppedAt(), state.stopReason());
    }
    return status
        .withState(feedState)
        .withHeartbeatAt(heartbeatAt)
        .withLastError(lastError)
        .withSockets(lease != null ? lease.sockets() : null);
  }

  /**
   * Answers a status with the feed's live figures when it has a feed. The status is taken now, on
   * the entity's thread; only the figures come from the feed's later answer.
   */
  void answerStatus(StreamEntity.State state, ActorRef<StreamEntity.StatusReply> replyTo) {
    StreamStatus known = status(state);
    CompletionStage<StreamStatus> live;
    if (placedOnSockets() && state.active()) {
      live =
          lease
              .figures(state.spec().key().value())
              .thenApply(f -> known.withFigures(f.ticks(), f.lastTickAt(), f.reconnects()));
    } else if (feed != null) {
      live =
          AskPattern.ask(
                  feed, FeedConnection.GetLive::new, askTimeout, context.getSystem().scheduler())
              .thenApply(f -> known.withFigures(f.ticks(), f.lastTickAt(), f.reconnects()));
    } else {
      live = CompletableFuture.completedFuture(known);
    }
    live.whenComplete(
        (status, failure) -> replyTo.tell(new StreamEntity.Found(status != null ? status : known)));
  }

  /** The latest values per instrument, from the feed; none without one (or if it is slow). */
  private void answerSnapshot(
      StreamEntity.State state, ActorRef<StreamEntity.SnapshotReply> replyTo) {
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
      return;
    }
    if (placedOnSockets()) {
      lease.snapshot(state.spec(), feedState, replyTo);
      return;
    }
    if (feed == null) {
      replyTo.tell(StreamEntity.SnapshotReply.running(List.of(), feedState));
      return;
    }
    AskPattern.ask(
            feed, FeedConnection.GetSnapshot::new, askTimeout, context.getSystem().scheduler())
        .whenComplete(
            (snapshot, failure) ->
                replyTo.tell(
                    StreamEntity.SnapshotReply.running(
                        snapshot != null ? snapshot.ticks() : List.of(), feedState)));
  }

  /**
   * Tells the registry how this stream stands (on every change and heartbeat), and its viewers on
   * every node when its state changed.
   */
  void report(StreamEntity.State state) {
    StreamStatus status = status(state);
    registry.tell(
        new StreamRegistry.StatusUpdate(
            status, clientId(), feed != null || placedOnSockets(), context.getSelf()));
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
