package io.tickshard.streams.upstream;

import io.tickshard.streams.upstream.FeedConnection.Close;
import io.tickshard.streams.upstream.FeedConnection.Command;
import io.tickshard.streams.upstream.FeedConnection.Connected;
import io.tickshard.streams.upstream.FeedConnection.CredentialsArrived;
import io.tickshard.streams.upstream.FeedConnection.FramesArrived;
import io.tickshard.streams.upstream.FeedConnection.GetSnapshotOf;
import io.tickshard.streams.upstream.FeedConnection.HeartbeatTick;
import io.tickshard.streams.upstream.FeedConnection.RestartConnection;
import io.tickshard.streams.upstream.FeedConnection.Resubscribe;
import io.tickshard.streams.upstream.FeedConnection.SocketEvent;
import io.tickshard.streams.upstream.FeedConnection.StaleCheck;
import io.tickshard.streams.upstream.FeedConnection.StreamEnded;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The socket is up and subscribed: frames become ticks, subscription changes go out on it, and two
 * watches run — staleness (judged from the last frame received) and the heartbeat to the parent.
 */
final class FeedConnected {
  private static final Object STALE_TIMER = "stale-check";
  private static final Object HEARTBEAT_TIMER = "heartbeat";

  private final FeedContext feed;
  private final FeedLink link;
  private final int attempt;
  private final Instant connectedAt;

  private FeedConnected(FeedContext feed, FeedLink link, int attempt, Instant connectedAt) {
    this.feed = feed;
    this.link = link;
    this.attempt = attempt;
    this.connectedAt = connectedAt;
  }

  /** The handshake succeeded: subscribes the whole subscription on {@code link}. */
  static Behavior<Command> enter(FeedContext feed, FeedLink link, int attempt) {
    feed.broker.accepted(link.credentials());
    Instant connectedAt = Instant.now();
    link.frameAt(connectedAt);
    FeedConnected connected = new FeedConnected(feed, link, attempt, connectedAt);
    FeedSocket.Sent offered = link.send(feed.subscription().requests());
    if (offered == FeedSocket.Sent.FULL) {
      return connected.lost(
          LostBy.SEND_FAILED, "could not queue the subscribe requests (" + offered + ")", null);
    }
    feed.timers.startTimerWithFixedDelay(
        STALE_TIMER,
        new StaleCheck(),
        Duration.ofMillis(Math.max(250, feed.settings.staleAfter().toMillis() / 4)));
    feed.timers.startTimerWithFixedDelay(
        HEARTBEAT_TIMER, new HeartbeatTick(), feed.settings.heartbeatInterval());
    if (offered == FeedSocket.Sent.QUEUED) {
      feed.log()
          .info(
              "{} on {}: feed connected, {}",
              feed.label,
              feed.node,
              feed.subscription().describe());
      feed.parent.tell(new Connected(connectedAt));
    }
    // Else the socket is already ending (the broker may have refused us at once, e.g. 808 on
    // auth). Its end is on the way with any disconnect packet before it: let that decide between
    // retrying and failing, instead of retrying here.
    return connected.behavior();
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(FramesArrived.class, link::told, this::onFrames)
        .onMessage(StreamEnded.class, link::told, this::onEnded)
        .onMessage(StaleCheck.class, this::onStaleCheck)
        .onMessage(HeartbeatTick.class, this::onHeartbeatTick)
        .onMessage(Resubscribe.class, this::onResubscribe)
        .onMessage(RestartConnection.class, this::onRestart)
        .onMessage(Close.class, this::onClose)
        .onMessage(GetSnapshotOf.class, feed::answer)
        .onMessage(CredentialsArrived.class, arrived -> Behaviors.same())
        .onMessage(SocketEvent.class, ofAnEarlierSocket -> Behaviors.same())
        .onSignal(PostStop.class, this::onGone)
        // A supervisor restarting it after a failure: the new one opens its own socket.
        .onSignal(PreRestart.class, this::onGone)
        .build();
  }

  private Behavior<Command> onFrames(FramesArrived arrived) {
    feed.decode(link);
    return Behaviors.same();
  }

  private Behavior<Command> onEnded(StreamEnded ended) {
    stopWatching();
    return link.ended(ended.cause()).follow(feed, link, attempt, connectedAt);
  }

  private Behavior<Command> onStaleCheck(StaleCheck check) {
    Duration staleAfter = feed.settings.staleAfter();
    if (Duration.between(link.lastFrameAt(), Instant.now()).compareTo(staleAfter) > 0) {
      return lost(LostBy.STALE, "no frame received for " + staleAfter.toSeconds() + " s", null);
    }
    return Behaviors.same();
  }

  private Behavior<Command> onHeartbeatTick(HeartbeatTick tick) {
    Instant now = Instant.now();
    // A heartbeat means "my socket delivered a frame recently", not "a timer fired".
    if (Duration.between(link.lastFrameAt(), now).compareTo(feed.settings.heartbeatInterval())
        <= 0) {
      feed.parent.tell(feed.heartbeat(now));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onResubscribe(Resubscribe change) {
    feed.subscribeFromNowOn(change.next());
    FeedSocket.Sent offered = link.send(change.now());
    if (offered == FeedSocket.Sent.FULL) {
      // Half sent: connect again, which subscribes the new set whole.
      return lost(
          LostBy.SEND_FAILED,
          "could not queue the subscription changes (" + offered + ")",
          feed.settings.backoffMin());
    }
    return Behaviors.same();
  }

  private Behavior<Command> onRestart(RestartConnection restart) {
    feed.log()
        .info(
            "{} on {}: restarting the feed connection ({})",
            feed.label,
            feed.node,
            restart.reason());
    return lost(LostBy.RESTART, restart.reason(), feed.settings.backoffMin());
  }

  private Behavior<Command> onClose(Close close) {
    stopWatching();
    return FeedClosing.start(feed, link);
  }

  private Behavior<Command> onGone(Signal stoppedOrRestarting) {
    link.abort();
    return feed.stopped();
  }

  /** Drops the socket to reconnect after {@code delay}, or after the backoff when null. */
  private Behavior<Command> lost(LostBy by, String reason, Duration delay) {
    stopWatching();
    return FeedBackingOff.afterLoss(feed, link, attempt, connectedAt, by, reason, delay);
  }

  /** The watches are this socket's: off it, a cancelled timer's message is never delivered. */
  private void stopWatching() {
    feed.timers.cancel(STALE_TIMER);
    feed.timers.cancel(HEARTBEAT_TIMER);
  }
}
