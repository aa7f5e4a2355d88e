package io.tickshard.streams.upstream;

import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.broker.Broker;
import io.tickshard.streams.broker.BrokerCredentials;
import io.tickshard.streams.ticks.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The one broker WebSocket of a socket slot, as a child of its {@code UpstreamSocket}: connects,
 * subscribes every instrument after every (re)connect, decodes frames, publishes ticks, watches for
 * a stale feed, and reconnects with backoff — or waits for new broker credentials when the broker
 * refused these, or gives up for good on a fatal disconnect reason.
 *
 * <p>One behaviour per state, each in its own file: {@link FeedConnecting}, {@link FeedConnected},
 * {@link FeedBackingOff}, {@link FeedWaitingForCredentials}, {@link FeedFailed}, {@link
 * FeedClosing}. What they share is a {@link FeedContext}; the socket of the moment, a {@link
 * FeedLink}; what a refusal or an end means, a {@link FeedVerdict}.
 *
 * <p>The socket is aborted when this actor stops, however it stops, and when a supervisor restarts
 * it, so it cannot outlive it.
 */
public final class FeedConnection {
  private FeedConnection() {}

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

  /**
   * What one socket tells about itself, stamped with its generation: a state heeds only its own
   * socket's, so the late messages of an earlier socket fall through to be ignored.
   */
  sealed interface SocketEvent extends Command {
    long generation();
  }

  record Upgraded(long generation, FeedSocket.Handshake handshake) implements SocketEvent {}

  record ConnectFailed(long generation, Throwable cause) implements SocketEvent {}

  /**
   * Frames arrived on the socket: they wait in its {@link FeedLink}, and this says so once for all
   * that arrive before the connection takes them, which it then decodes and publishes together.
   */
  record FramesArrived(long generation) implements SocketEvent {}

  record StreamEnded(long generation, Throwable cause) implements SocketEvent {}

  record Reconnect() implements Command {}

  record StaleCheck() implements Command {}

  record HeartbeatTick() implements Command {}

  record CloseTimedOut() implements Command {}

  record CredentialsArrived(BrokerCredentials credentials) implements Command {}

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

  /**
   * A socket that subscribes {@code subscription} (changed later by {@link Resubscribe}). The
   * subscription as last changed outlives a supervisor's restart of the behavior: a restarted
   * connection subscribes what its parent last asked for, not what it was created with (its parent
   * sends changes once).
   */
  public static Behavior<Command> create(
      FeedSubscription subscription,
      FeedSettings settings,
      TickSink sink,
      ActorRef<Update> parent) {
    AtomicReference<FeedSubscription> current = new AtomicReference<>(subscription);
    return Behaviors.setup(
        context ->
            Behaviors.withMdc(
                Command.class,
                mdc(subscription.label(), NodeName.of(context.getSystem())),
                Behaviors.withTimers(
                    timers -> {
                      // The states live in other classes: log under this one's name all the same.
                      context.setLoggerName(FeedConnection.class);
                      context
                          .getSystem()
                          .eventStream()
                          .tell(
                              new EventStream.Subscribe<>(
                                  Broker.CredentialsChanged.class,
                                  context.messageAdapter(
                                      Broker.CredentialsChanged.class,
                                      changed -> new CredentialsArrived(changed.current()))));
                      FeedContext feed =
                          new FeedContext(context, timers, current, settings, sink, parent);
                      return FeedConnecting.start(feed, 0);
                    })));
  }

  /** The socket slot and the node, as fields of the JSON log format. */
  private static Map<String, String> mdc(String label, String node) {
    if (label.startsWith("socket ")) {
      return Map.of("socket", label.substring("socket ".length()), "node", node);
    }
    return Map.of("node", node);
  }
}
