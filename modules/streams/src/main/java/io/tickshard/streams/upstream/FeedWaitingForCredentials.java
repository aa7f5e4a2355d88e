package io.tickshard.streams.upstream;

import io.tickshard.streams.broker.BrokerCredentials;
import io.tickshard.streams.upstream.FeedConnection.Close;
import io.tickshard.streams.upstream.FeedConnection.Command;
import io.tickshard.streams.upstream.FeedConnection.CredentialsArrived;
import io.tickshard.streams.upstream.FeedConnection.GetSnapshotOf;
import io.tickshard.streams.upstream.FeedConnection.RestartConnection;
import io.tickshard.streams.upstream.FeedConnection.Resubscribe;
import io.tickshard.streams.upstream.FeedConnection.SocketEvent;
import io.tickshard.streams.upstream.FeedConnection.WaitingForCredentials;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The broker refused these credentials: connecting again with them would be refused again (and a
 * refusal loop can get an account blocked). No socket, no timer: only other credentials move it.
 */
final class FeedWaitingForCredentials {
  private final FeedContext feed;
  private final BrokerCredentials refused;
  private final int attempt;

  private FeedWaitingForCredentials(FeedContext feed, BrokerCredentials refused, int attempt) {
    this.feed = feed;
    this.refused = refused;
    this.attempt = attempt;
  }

  /** The broker refused {@code link}'s credentials with {@code code}: drops it and waits. */
  static Behavior<Command> enter(
      FeedContext feed, FeedLink link, int attempt, int code, String reason) {
    link.abort();
    BrokerCredentials refused = link.credentials();
    feed.broker.refused(refused, code, reason);
    BrokerCredentials current = feed.broker.current();
    if (!current.sameAs(refused)) {
      // New ones came while this socket was being refused: use them.
      return FeedBackingOff.afterNewCredentials(feed, attempt, current);
    }
    feed.log()
        .error(
            "{} on {}: waiting for new broker credentials: {} (no reconnect until they arrive)",
            feed.label,
            feed.node,
            reason);
    feed.parent.tell(new WaitingForCredentials(reason));
    return new FeedWaitingForCredentials(feed, refused, attempt).behavior();
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(CredentialsArrived.class, this::other, this::onOther)
        .onMessage(CredentialsArrived.class, theRefusedOnes -> Behaviors.same())
        .onMessage(Close.class, close -> Behaviors.stopped())
        // The same credentials would be refused again.
        .onMessage(RestartConnection.class, restart -> Behaviors.same())
        .onMessage(Resubscribe.class, feed::keep)
        .onMessage(GetSnapshotOf.class, feed::answer)
        .onMessage(SocketEvent.class, ofAnEarlierSocket -> Behaviors.same())
        .onSignal(PostStop.class, stop -> feed.stopped())
        .build();
  }

  private boolean other(CredentialsArrived arrived) {
    return !arrived.credentials().sameAs(refused);
  }

  private Behavior<Command> onOther(CredentialsArrived arrived) {
    return FeedBackingOff.afterNewCredentials(feed, attempt, arrived.credentials());
  }
}
