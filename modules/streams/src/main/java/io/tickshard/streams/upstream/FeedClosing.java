package io.tickshard.streams.upstream;

import io.tickshard.streams.upstream.FeedConnection.Close;
import io.tickshard.streams.upstream.FeedConnection.CloseTimedOut;
import io.tickshard.streams.upstream.FeedConnection.Command;
import io.tickshard.streams.upstream.FeedConnection.CredentialsArrived;
import io.tickshard.streams.upstream.FeedConnection.FramesArrived;
import io.tickshard.streams.upstream.FeedConnection.GetSnapshotOf;
import io.tickshard.streams.upstream.FeedConnection.RestartConnection;
import io.tickshard.streams.upstream.FeedConnection.Resubscribe;
import io.tickshard.streams.upstream.FeedConnection.SocketEvent;
import io.tickshard.streams.upstream.FeedConnection.StreamEnded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Closing an open socket politely: the broker was told, the Close frame is on its way; stops when
 * the socket ends or the close timeout passes, whichever is first.
 */
final class FeedClosing {
  private static final Object CLOSE_TIMER = "close";

  private final FeedContext feed;
  private final FeedLink link;

  private FeedClosing(FeedContext feed, FeedLink link) {
    this.feed = feed;
    this.link = link;
  }

  static Behavior<Command> start(FeedContext feed, FeedLink link) {
    link.close();
    feed.timers.startSingleTimer(CLOSE_TIMER, new CloseTimedOut(), feed.settings.closeTimeout());
    return new FeedClosing(feed, link).behavior();
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(StreamEnded.class, link::told, ended -> Behaviors.stopped())
        .onMessage(CloseTimedOut.class, timedOut -> Behaviors.stopped())
        // Ticks still arriving are still published.
        .onMessage(FramesArrived.class, link::told, this::onFrames)
        // Asked again: no more waiting.
        .onMessage(Close.class, again -> Behaviors.stopped())
        .onMessage(Resubscribe.class, feed::keep)
        .onMessage(GetSnapshotOf.class, feed::answer)
        .onMessage(RestartConnection.class, restart -> Behaviors.same())
        .onMessage(CredentialsArrived.class, arrived -> Behaviors.same())
        .onMessage(SocketEvent.class, ofAnEarlierSocket -> Behaviors.same())
        .onSignal(PostStop.class, this::onGone)
        // A supervisor restarting it after a failure: the new one opens its own socket.
        .onSignal(PreRestart.class, this::onGone)
        .build();
  }

  /**
   * A closing connection that fails stops: restarted by its supervisor it would open a socket
   * again, with the subscription it started with, beside the one that replaced it.
   */
  private Behavior<Command> onFrames(FramesArrived arrived) {
    try {
      feed.decode(link);
      return Behaviors.same();
    } catch (RuntimeException failure) {
      feed.log()
          .warn(
              "{} on {}: feed connection failed while closing; stopped",
              feed.label,
              feed.node,
              failure);
      return Behaviors.stopped();
    }
  }

  private Behavior<Command> onGone(Signal stoppedOrRestarting) {
    link.abort();
    return feed.stopped();
  }
}
