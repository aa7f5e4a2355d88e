package io.tickshard.streams.upstream;

import io.tickshard.streams.upstream.FeedConnection.Close;
import io.tickshard.streams.upstream.FeedConnection.Command;
import io.tickshard.streams.upstream.FeedConnection.ConnectFailed;
import io.tickshard.streams.upstream.FeedConnection.CredentialsArrived;
import io.tickshard.streams.upstream.FeedConnection.FramesArrived;
import io.tickshard.streams.upstream.FeedConnection.GetSnapshotOf;
import io.tickshard.streams.upstream.FeedConnection.RestartConnection;
import io.tickshard.streams.upstream.FeedConnection.Resubscribe;
import io.tickshard.streams.upstream.FeedConnection.SocketEvent;
import io.tickshard.streams.upstream.FeedConnection.StreamEnded;
import io.tickshard.streams.upstream.FeedConnection.Upgraded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A socket is being opened: waiting for its handshake. Its frames are decoded already (a broker
 * that refuses the token at once sends its disconnect packet right behind the upgrade).
 */
final class FeedConnecting {
  private final FeedContext feed;
  private final FeedLink link;
  private final int attempt;

  private FeedConnecting(FeedContext feed, FeedLink link, int attempt) {
    this.feed = feed;
    this.link = link;
    this.attempt = attempt;
  }

  /** Opens a socket; {@code attempt} is the reconnect attempt this is (0 for the first connect). */
  static Behavior<Command> start(FeedContext feed, int attempt) {
    return new FeedConnecting(feed, FeedLink.open(feed), attempt).behavior();
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Upgraded.class, link::told, this::onUpgraded)
        .onMessage(ConnectFailed.class, link::told, this::onConnectFailed)
        .onMessage(FramesArrived.class, link::told, this::onFrames)
        .onMessage(StreamEnded.class, link::told, this::onEnded)
        .onMessage(RestartConnection.class, this::onRestart)
        // Stopping aborts the socket (PostStop): the pending handshake is cancelled with it.
        .onMessage(Close.class, close -> Behaviors.stopped())
        .onMessage(Resubscribe.class, feed::keep)
        .onMessage(GetSnapshotOf.class, feed::answer)
        .onMessage(CredentialsArrived.class, arrived -> Behaviors.same())
        .onMessage(SocketEvent.class, ofAnEarlierSocket -> Behaviors.same())
        .onSignal(PostStop.class, this::onGone)
        // A supervisor restarting it after a failure: the new one opens its own socket.
        .onSignal(PreRestart.class, this::onGone)
        .build();
  }

  private Behavior<Command> onUpgraded(Upgraded upgraded) {
    if (!upgraded.handshake().accepted()) {
      return FeedVerdict.ofHandshake(upgraded.handshake()).follow(feed, link, attempt, null);
    }
    return FeedConnected.enter(feed, link, attempt);
  }

  private Behavior<Command> onConnectFailed(ConnectFailed failed) {
    return FeedBackingOff.afterLoss(
        feed,
        link,
        attempt,
        null,
        LostBy.CONNECT_FAILED,
        "could not connect: " + link.describe(failed.cause()),
        null);
  }

  private Behavior<Command> onFrames(FramesArrived arrived) {
    feed.decode(link);
    return Behaviors.same();
  }

  private Behavior<Command> onEnded(StreamEnded ended) {
    return link.ended(ended.cause()).follow(feed, link, attempt, null);
  }

  /** Stuck connecting (the health check's view): start over soon. */
  private Behavior<Command> onRestart(RestartConnection restart) {
    feed.log()
        .info(
            "{} on {}: restarting the feed connection ({})",
            feed.label,
            feed.node,
            restart.reason());
    return FeedBackingOff.afterLoss(
        feed, link, attempt, null, LostBy.RESTART, restart.reason(), feed.settings.backoffMin());
  }

  private Behavior<Command> onGone(Signal stoppedOrRestarting) {
    link.abort();
    return feed.stopped();
  }
}
