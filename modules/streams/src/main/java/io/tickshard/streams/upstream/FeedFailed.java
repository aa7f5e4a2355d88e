package io.tickshard.streams.upstream;

import io.tickshard.streams.upstream.FeedConnection.Close;
import io.tickshard.streams.upstream.FeedConnection.Command;
import io.tickshard.streams.upstream.FeedConnection.CredentialsArrived;
import io.tickshard.streams.upstream.FeedConnection.Failed;
import io.tickshard.streams.upstream.FeedConnection.GetSnapshotOf;
import io.tickshard.streams.upstream.FeedConnection.RestartConnection;
import io.tickshard.streams.upstream.FeedConnection.Resubscribe;
import io.tickshard.streams.upstream.FeedConnection.SocketEvent;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Failed for good (a fatal disconnect reason, a 429 at the handshake): no socket until stopped. */
final class FeedFailed {
  private FeedFailed() {}

  /** Drops {@code link}, says why once, loudly, and stays failed. */
  static Behavior<Command> enter(FeedContext feed, FeedLink link, String reason) {
    link.abort();
    feed.log().error("{} on {}: failed: {}", feed.label, feed.node, reason);
    feed.parent.tell(new Failed(reason));
    return behavior(feed);
  }

  private static Behavior<Command> behavior(FeedContext feed) {
    return Behaviors.receive(Command.class)
        .onMessage(Close.class, close -> Behaviors.stopped())
        // A restart is the parent's to make (a new connection), not this one's.
        .onMessage(RestartConnection.class, restart -> Behaviors.same())
        .onMessage(Resubscribe.class, feed::keep)
        .onMessage(GetSnapshotOf.class, feed::answer)
        .onMessage(CredentialsArrived.class, arrived -> Behaviors.same())
        .onMessage(SocketEvent.class, ofAnEarlierSocket -> Behaviors.same())
        .onSignal(PostStop.class, stop -> feed.stopped())
        .build();
  }
}
