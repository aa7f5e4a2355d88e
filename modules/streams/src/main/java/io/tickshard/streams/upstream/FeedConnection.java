package io.tickshard.streams.upstream;

import io.tickshard.feed.DisconnectPacket;
import io.tickshard.feed.DisconnectReason;
import io.tickshard.feed.FeedDecoder;
import io.tickshard.feed.FeedPacket;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.FrameListener;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.MalformedFrame;
import io.tickshard.feed.MarketPacket;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.broker.Broker;
import io.tickshard.streams.broker.BrokerCredentials;
import io.tickshard.streams.metrics.NodeMetrics;
import io.tickshard.streams.ticks.Tick;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.util.ByteString;

/**
 * The one broker WebSocket of a socket slot, as a child of its {@code UpstreamSocket}: connects,
 * subscribes every instrument after every (re)connect, decodes frames, publishes ticks, watches for
 * a stale feed, and reconnects with backoff — or waits for new broker credentials when the broker
 * refused these, or gives up for good on a fatal disconnect reason.
 *
 * <p>The socket is aborted when this actor stops, however it stops, so it cannot outlive it.
 */
public final class FeedConnection extends AbstractBehavior<FeedConnection.Command> {

  /** Messages this actor handles; only its parent and itself send them. */
  public sealed interface Command {}

  /** Replies with the latest values of these instruments (a key riding on the socket). */
  public record GetSnapshotOf(List<Instrument> instruments, ActorRef<Snapshot> replyTo)
      implements Command {}

  /** Drops the socket and connects again soon (the health check's remedy for a stuck stream). */
  public record RestartConnection(String reason) implements Command {}

  /**
   * From now on subscribe {@code next} after every connect; on the open socket, send {@code now}
   * (the changes from what it carries: unsubscribes first). Nothing is sent while not connected:
   * the next connect subscribes {@code next} whole.
   */
  public record Resubscribe(FeedSubscription next, List<FeedRequest> now) implements Command {}

  /** Sends the disconnect request, closes the socket, then stops. */
  public record Close() implements Command {}

  private record Upgraded(long generation, FeedSocket.Handshake handshake) implements Command {}

  private record ConnectFailed(long generation, Throwable cause) implements Command {}

  private record FrameReceived(long generation, ByteString bytes) implements Command {}

  private record StreamEnded(long generation, Throwable cause) implements Command {}

  private record Reconnect(long generation) implements Command {}

  private record StaleCheck() implements Command {}

  private record HeartbeatTick() implements Command {}

  private record CloseTimedOut() implements Command {}

  private record CredentialsArrived(BrokerCredentials credentials) implements Command {}

  /** What the connection tells its parent, as it happens. */
  public sealed interface Update {}

  public record Connected(Instant at) implements Update {}

  public record Reconnecting(String reason, int attempt, Duration retryIn) implements Update {}

  public record Failed(String reason) implements Update {}

  /** The broker refused the credentials: no reconnect until new ones arrive. */
  public record WaitingForCredentials(String reason) implements Update {}

  /** A frame arrived within the last heartbeat interval; with the figures as they stand. */
  public record Heartbeat(Instant at, long ticks, Instant lastTickAt, int reconnects)
      implements Update {}

  public record Snapshot(List<Tick> ticks) {}

  /** Where the connection is in its life. */
  private enum Phase {
    CONNECTING,
    CONNECTED,
    BACKOFF,
    WAITING_FOR_CREDENTIALS,
    FAILED,
    CLOSING
  }

  private static final Object RECONNECT_TIMER = "reconnect";
  private static final Object CLOSE_TIMER = "close";

  /** The broker's "too many requests": at the handshake, account blocked or data plan lapsed. */
  private static final String BLOCKED_ACCOUNT =
      "feed handshake answered HTTP 429: account blocked or data plan lapsed (will not retry"
          + " until restarted)";

  private final String label;
  private final FeedSettings settings;
  private final TickSink sink;
  private final ActorRef<Update> parent;
  private final TimerScheduler<Command> timers;
  private final String node;
  private final Broker broker;
  private final NodeMetrics metrics;
  private final FeedDecoder decoder = new FeedDecoder();
  private final LatestValues latest = new LatestValues();
  private final EnumSet<MalformedFrame.Kind> reportedMalformed =
      EnumSet.noneOf(MalformedFrame.Kind.class);

  private long generation;
  private Phase phase = Phase.CONNECTING;
  private FeedSocket socket;
  private int attempt;
  private int reconnects;
  private long ticks;
  private Instant connectedAt;
  private Instant lastFrameAt;
  private Instant lastTickAt;
  private Instant heartbeatAt;
  private String lastError;
  private Integer lastDisconnectCode;

  private FeedSubscription subscription;

  /** What the current (or last) socket connected with. */
  private BrokerCredentials credentials;

  /** A socket that subscribes {@code subscription} (changed later by {@link Resubscribe}). */
  public static Behavior<Command> create(
      FeedSubscription subscription,
      FeedSettings settings,
      TickSink sink,
      ActorRef<Update> parent) {
    return Behaviors.setup(
        context ->
            Behaviors.withMdc(
                Command.class,
                mdc(subscription.label(), NodeName.of(context.getSystem())),
                Behaviors.withTimers(
                    timers ->
                        new FeedConnection(
                            context, timers, subscription, settings, sink, parent))));
  }

  /** The socket slot and the node, as fields of the JSON log format. */
  private static Map<String, String> mdc(String label, String node) {
    if (label.startsWith("socket ")) {
      return Map.of("socket", label.substring("socket ".length()), "node", node);
    }
    return Map.of("node", node);
  }

  private FeedConnection(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      FeedSubscription subscription,
      FeedSettings settings,
      TickSink sink,
      ActorRef<Update> parent) {
    super(context);
    this.subscription = subscription;
    this.label = subscription.label();
    this.settings = settings;
    this.sink = sink;
    this.parent = parent;
    this.timers = timers;
    this.node = NodeName.of(context.getSystem());
    this.broker = Broker.get(context.getSystem());
    this.metrics = NodeMetrics.get(context.getSystem());
    context
        .getSystem()
        .eventStream()
        .tell(
            new EventStream.Subscribe<>(
                Broker.CredentialsChanged.class,
                context.messageAdapter(
                    Broker.CredentialsChanged.class,
                    changed -> new CredentialsArrived(changed.current()))));
    Duration staleCheck = Duration.ofMillis(Math.max(250, settings.staleAfter().toMillis() / 4));
    timers.startTimerWithFixedDelay(new StaleCheck(), staleCheck);
    timers.startTimerWithFixedDelay(new HeartbeatTick(), settings.heartbeatInterval());
    connect();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FrameReceived.class, this::onFrame)
        .onMessage(Upgraded.class, this::onUpgraded)
        .onMessage(ConnectFailed.class, this::onConnectFailed)
        .onMessage(StreamEnded.class, this::onStreamEnded)
        .onMessage(Reconnect.class, this::onReconnect)
        .onMessage(StaleCheck.class, this::onStaleCheck)
        .onMessage(HeartbeatTick.class, this::onHeartbeatTick)
        .onMessage(
            GetSnapshotOf.class,
            get -> {
              get.replyTo().tell(new Snapshot(latest.snapshot(get.instruments())));
              return this;
            })
        .onMessage(RestartConnection.class, this::onRestart)
        .onMessage(Close.class, this::onClose)
        .onMessage(CloseTimedOut.class, timedOut -> Behaviors.stopped())
        .onMessage(CredentialsArrived.class, this::onCredentialsArrived)
        .onMessage(Resubscribe.class, this::onResubscribe)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  // ---- connecting ---------------------------------------------------------------------------

  private void connect() {
    long current = ++generation;
    phase = Phase.CONNECTING;
    lastDisconnectCode = null;
    credentials = broker.forConnect();
    ActorRef<Command> self = getContext().getSelf();
    socket =
        FeedSocket.open(
            settings.connectUri(credentials),
            settings.connectTimeout(),
            bytes -> self.tell(new FrameReceived(current, bytes)),
            handshake -> self.tell(new Upgraded(current, handshake)),
            failure -> self.tell(new ConnectFailed(current, failure)));
    getContext()
        .pipeToSelf(socket.ended(), (failure, unexpected) -> new StreamEnded(current, failure));
  }

  private Behavior<Command> onUpgraded(Upgraded upgraded) {
    if (upgraded.generation() != generation || phase != Phase.CONNECTING) {
      return this;
    }
    FeedSocket.Handshake upgrade = upgraded.handshake();
    // The status is read from the HTTP response the client hands over (see FeedSocket), never
    // parsed out of an exception's message.
    int status = upgrade.status();
    if (status == StatusCodes.TOO_MANY_REQUESTS.intValue()) {
      // The broker's docs: a 429 at the handshake means the account is blocked or its data plan
      // lapsed. Retrying cannot help (and keeps hitting a rate limit): fail until restarted.
      return fail(BLOCKED_ACCOUNT, true);
    }
    if (status != StatusCodes.SWITCHING_PROTOCOLS.intValue()) {
      // 500, 503 and the like: the broker is briefly unwell, retry with backoff.
      return lost(
          LostBy.HANDSHAKE,
          "feed handshake answered HTTP "
              + status
              // lookup, not get: get throws for a code pekko-http has no name for (a proxy's 520)
              + StatusCodes.lookup(status).map(code -> " " + code.reason()).orElse(""),
          null);
    }
    if (!upgrade.accepted()) {
      // A 101 with a wrong Upgrade, Connection or Sec-WebSocket-Accept header: no usable socket.
      return lost(LostBy.HANDSHAKE, "feed handshake not accepted: " + upgrade.problem(), null);
    }
    phase = Phase.CONNECTED;
    broker.accepted(credentials);
    connectedAt = Instant.now();
    lastFrameAt = connectedAt;
    FeedSocket.Sent offered = send(subscription.requests());
    if (offered == FeedSocket.Sent.FULL) {
      return lost(
          LostBy.SEND_FAILED, "could not queue the subscribe requests (" + offered + ")", null);
    }
    if (offered != FeedSocket.Sent.QUEUED) {
      // The socket is already ending (the broker may have refused us at once, e.g. 808 on
      // auth). Its end is on the way with any disconnect packet before it: let that decide
      // between retrying and failing, instead of retrying here.
      return this;
    }
    getContext()
        .getLog()
        .info("{} on {}: feed connected, {}", label, node, subscription.describe());
    parent.tell(new Connected(connectedAt));
    return this;
  }

  /** Queues the requests in order; the first result that is not "enqueued", else enqueued. */
  private FeedSocket.Sent send(List<FeedRequest> requests) {
    for (FeedRequest request : requests) {
      FeedSocket.Sent offered = socket.send(request.toJson());
      if (offered != FeedSocket.Sent.QUEUED) {
        return offered;
      }
    }
    return FeedSocket.Sent.QUEUED;
  }

  private Behavior<Command> onResubscribe(Resubscribe change) {
    subscription = change.next();
    if (phase != Phase.CONNECTED) {
      return this; // the next connect subscribes it whole
    }
    FeedSocket.Sent offered = send(change.now());
    if (offered == FeedSocket.Sent.FULL) {
      // Half sent: connect again, which subscribes the new set whole.
      return lost(
          LostBy.SEND_FAILED,
          "could not queue the subscription changes (" + offered + ")",
          settings.backoffMin());
    }
    return this;
  }

  private Behavior<Command> onConnectFailed(ConnectFailed failed) {
    if (failed.generation() != generation || phase != Phase.CONNECTING) {
      return this;
    }
    return lost(LostBy.CONNECT_FAILED, "could not connect: " + describe(failed.cause()), null);
  }

  // ---- frames -------------------------------------------------------------------------------

  private Behavior<Command> onFrame(FrameReceived frame) {
    if (frame.generation() != generation) {
      return this;
    }
    Instant now = Instant.now();
    lastFrameAt = now;
    // The protocol is little-endian: order the view so the decoder need not copy it.
    decoder.decode(
        frame.bytes().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN),
        new FrameListener() {
          @Override
          public void onPacket(FeedPacket packet) {
            if (packet instanceof MarketPacket market) {
              Tick tick = Tick.from(market, now);
              latest.update(tick);
              sink.publish(tick);
              ticks++;
              metrics.ticksReceived.inc();
              lastTickAt = now;
            } else if (packet instanceof DisconnectPacket disconnect) {
              lastDisconnectCode = disconnect.reasonCode();
            }
          }

          @Override
          public void onMalformed(MalformedFrame malformed) {
            metrics
                .malformedFrames
                .labelValues(malformed.kind().name().toLowerCase(Locale.ROOT))
                .inc();
            if (reportedMalformed.add(malformed.kind())) {
              getContext()
                  .getLog()
                  .warn(
                      "{} on {}: skipped a malformed frame ({}: {}); further ones of this"
                          + " kind are only counted",
                      label,
                      node,
                      malformed.kind(),
                      malformed.reason());
            }
          }
        });
    return this;
  }

  private Behavior<Command> onStreamEnded(StreamEnded ended) {
    if (ended.generation() != generation) {
      return this;
    }
    if (phase == Phase.CLOSING) {
      return Behaviors.stopped();
    }
    if (phase == Phase.FAILED || phase == Phase.BACKOFF || phase == Phase.WAITING_FOR_CREDENTIALS) {
      return this;
    }
    if (lastDisconnectCode != null) {
      int code = lastDisconnectCode;
      String reason =
          "disconnected by the broker: "
              + code
              + DisconnectReason.fromCode(code).map(r -> " " + r.name()).orElse("");
      return switch (DisconnectReason.actionFor(code)) {
        case NEW_CREDENTIALS -> waitForCredentials(code, reason);
        case FATAL -> fail(reason + " (will not retry until restarted)", true);
        case DO_NOT_RETRY_SAME_REQUEST ->
            fail(reason + " (the same request would fail again)", true);
        case LONG_COOL_OFF -> {
          getContext()
              .getLog()
              .error(
                  "{} on {}: {} — too many connections for this account; cooling off {}"
                      + " before reconnecting. Another client may be using the same account.",
                  label,
                  node,
                  reason,
                  settings.tooManyConnectionsCoolOff());
          yield lost(LostBy.BROKER_DISCONNECT, reason, settings.tooManyConnectionsCoolOff());
        }
        case RETRY_WITH_BACKOFF -> lost(LostBy.BROKER_DISCONNECT, reason, null);
      };
    }
    return lost(
        LostBy.CLOSED,
        ended.cause() == null
            ? "the feed closed the connection"
            : "the feed connection failed: " + describe(ended.cause()),
        null);
  }

  // ---- reconnecting -------------------------------------------------------------------------

  /** Why a socket was lost, as the reconnects metric counts it (a bounded label). */
  private enum LostBy {
    HANDSHAKE,
    SEND_FAILED,
    CONNECT_FAILED,
    BROKER_DISCONNECT,
    CLOSED,
    STALE,
    RESTART;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The socket is gone: schedule the next attempt, after {@code delay} or the backoff. */
  private Behavior<Command> lost(LostBy by, String reason, Duration delay) {
    metrics.reconnects.labelValues(by.label()).inc();
    abortSocket();
    Instant now = Instant.now();
    if (connectedAt != null
        && Duration.between(connectedAt, now).compareTo(settings.backoffResetAfter()) >= 0) {
      attempt = 0;
    }
    attempt++;
    reconnects++;
    lastError = reason;
    phase = Phase.BACKOFF;
    connectedAt = null;
    Duration wait =
        delay != null ? delay : settings.backoff(attempt, ThreadLocalRandom.current().nextDouble());
    timers.startSingleTimer(RECONNECT_TIMER, new Reconnect(generation), wait);
    getContext()
        .getLog()
        .info(
            "{} on {}: feed lost ({}); reconnect attempt {} in {} ms",
            label,
            node,
            reason,
            attempt,
            wait.toMillis());
    parent.tell(new Reconnecting(reason, attempt, wait));
    return this;
  }

  private Behavior<Command> onReconnect(Reconnect reconnect) {
    if (reconnect.generation() == generation && phase == Phase.BACKOFF) {
      connect();
    }
    return this;
  }

  /**
   * The broker refused these credentials: connecting again with them would be refused again (and a
   * refusal loop can get an account blocked). Wait, socket closed, until others arrive.
   */
  private Behavior<Command> waitForCredentials(int code, String reason) {
    abortSocket();
    lastError = reason;
    connectedAt = null;
    broker.refused(credentials, code, reason);
    if (!broker.current().sameAs(credentials)) {
      // New ones came while this socket was being refused: use them.
      return credentialsArrived(broker.current());
    }
    phase = Phase.WAITING_FOR_CREDENTIALS;
    timers.cancel(RECONNECT_TIMER);
    getContext()
        .getLog()
        .error(
            "{} on {}: waiting for new broker credentials: {} (no reconnect until they"
                + " arrive)",
            label,
            node,
            reason);
    parent.tell(new WaitingForCredentials(reason));
    return this;
  }

  private Behavior<Command> onCredentialsArrived(CredentialsArrived arrived) {
    if (phase != Phase.WAITING_FOR_CREDENTIALS || arrived.credentials().sameAs(credentials)) {
      return this;
    }
    return credentialsArrived(arrived.credentials());
  }

  /** Reconnects soon: at a random point of the spread, so that a node's streams do not all. */
  private Behavior<Command> credentialsArrived(BrokerCredentials fresh) {
    phase = Phase.BACKOFF;
    long spread = broker.settings().reconnectSpread().toMillis();
    Duration wait = Duration.ofMillis(ThreadLocalRandom.current().nextLong(spread + 1));
    timers.startSingleTimer(RECONNECT_TIMER, new Reconnect(generation), wait);
    getContext()
        .getLog()
        .info(
            "{} on {}: new broker credentials (from {}); connecting in {} ms",
            label,
            node,
            fresh.source().wireName(),
            wait.toMillis());
    parent.tell(new Reconnecting("new broker credentials", attempt, wait));
    return this;
  }

  private Behavior<Command> fail(String reason, boolean loud) {
    abortSocket();
    phase = Phase.FAILED;
    lastError = reason;
    timers.cancel(RECONNECT_TIMER);
    if (loud) {
      getContext().getLog().error("{} on {}: failed: {}", label, node, reason);
    }
    parent.tell(new Failed(reason));
    return this;
  }

  private Behavior<Command> onStaleCheck(StaleCheck check) {
    if (phase == Phase.CONNECTED
        && Duration.between(lastFrameAt, Instant.now()).compareTo(settings.staleAfter()) > 0) {
      return lost(
          LostBy.STALE, "no frame received for " + settings.staleAfter().toSeconds() + " s", null);
    }
    return this;
  }

  private Behavior<Command> onRestart(RestartConnection restart) {
    // Only a connection that is up (or stuck connecting) is restarted: one that is already
    // waiting to reconnect keeps its backoff, a long cool-off after 805 included.
    if (phase != Phase.CONNECTED && phase != Phase.CONNECTING) {
      return this;
    }
    getContext()
        .getLog()
        .info("{} on {}: restarting the feed connection ({})", label, node, restart.reason());
    return lost(LostBy.RESTART, restart.reason(), settings.backoffMin());
  }

  private Behavior<Command> onHeartbeatTick(HeartbeatTick tick) {
    Instant now = Instant.now();
    // A heartbeat means "my socket delivered a frame recently", not "a timer fired".
    if (phase == Phase.CONNECTED
        && Duration.between(lastFrameAt, now).compareTo(settings.heartbeatInterval()) <= 0) {
      heartbeatAt = now;
      parent.tell(new Heartbeat(now, ticks, lastTickAt, reconnects));
    }
    return this;
  }

  // ---- answers and closing ------------------------------------------------------------------

  private Behavior<Command> onClose(Close close) {
    if (phase != Phase.CONNECTED) {
      return Behaviors.stopped();
    }
    phase = Phase.CLOSING;
    // Tell the broker first, then close: completing the requests ends the socket.
    socket.send(FeedRequest.disconnect().toJson());
    socket.endRequests();
    timers.startSingleTimer(CLOSE_TIMER, new CloseTimedOut(), settings.closeTimeout());
    return this;
  }

  private Behavior<Command> onPostStop(PostStop stop) {
    abortSocket();
    getContext().getLog().info("{} on {}: feed connection closed", label, node);
    return this;
  }

  private void abortSocket() {
    generation++;
    if (socket != null) {
      socket.abort();
      socket = null;
    }
  }

  /** An exception's message with the access token taken out, should a library have put it in. */
  private String describe(Throwable cause) {
    return redact(
        cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
  }

  /** The text with the access token taken out (pekko-http's messages quote the whole URI). */
  private String redact(String text) {
    return credentials == null ? text : credentials.redact(text);
  }
}
