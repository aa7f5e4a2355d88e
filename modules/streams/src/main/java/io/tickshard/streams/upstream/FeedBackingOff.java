package io.tickshard.streams.upstream;

import io.tickshard.streams.broker.BrokerCredentials;
import io.tickshard.streams.upstream.FeedConnection.Close;
import io.tickshard.streams.upstream.FeedConnection.Command;
import io.tickshard.streams.upstream.FeedConnection.CredentialsArrived;
import io.tickshard.streams.upstream.FeedConnection.GetSnapshotOf;
import io.tickshard.streams.upstream.FeedConnection.Reconnect;
import io.tickshard.streams.upstream.FeedConnection.Reconnecting;
import io.tickshard.streams.upstream.FeedConnection.RestartConnection;
import io.tickshard.streams.upstream.FeedConnection.Resubscribe;
import io.tickshard.streams.upstream.FeedConnection.SocketEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** No socket: waiting out a delay (the backoff, a cool-off, a spread) before connecting again. */
final class FeedBackingOff {
  private static final Object RECONNECT_TIMER = "reconnect";

  private final FeedContext feed;
  private final int attempt;

  private FeedBackingOff(FeedContext feed, int attempt) {
    this.feed = feed;
    this.attempt = attempt;
  }

  /**
   * {@code link} is lost: drops it and reconnects after {@code delay}, or after the backoff when
   * null. The backoff starts over when the socket had stayed connected long enough.
   */
  static Behavior<Command> afterLoss(
      FeedContext feed,
      FeedLink link,
      int attempt,
      Instant connectedAt,
      LostBy by,
      String reason,
      Duration delay) {
    feed.countLoss(by);
    link.abort();
    FeedSettings settings = feed.settings;
    boolean stayedUp =
        connectedAt != null
            && Duration.between(connectedAt, Instant.now()).compareTo(settings.backoffResetAfter())
                >= 0;
    int next = (stayedUp ? 0 : attempt) + 1;
    Duration wait =
        delay != null ? delay : settings.backoff(next, ThreadLocalRandom.current().nextDouble());
    feed.timers.startSingleTimer(RECONNECT_TIMER, new Reconnect(), wait);
    feed.log()
        .info(
            "{} on {}: feed lost ({}); reconnect attempt {} in {} ms",
            feed.label,
            feed.node,
            reason,
            next,
            wait.toMillis());
    feed.parent.tell(new Reconnecting(reason, next, wait));
    return new FeedBackingOff(feed, next).behavior();
  }

  /**
   * New credentials to try: reconnects soon, at a random point of the spread, so that a node's
   * streams do not all at once. {@code attempt} is kept: these are not a failure.
   */
  static Behavior<Command> afterNewCredentials(
      FeedContext feed, int attempt, BrokerCredentials fresh) {
    long spread = feed.broker.settings().reconnectSpread().toMillis();
    Duration wait = Duration.ofMillis(ThreadLocalRandom.current().nextLong(spread + 1));
    feed.timers.startSingleTimer(RECONNECT_TIMER, new Reconnect(), wait);
    feed.log()
        .info(
            "{} on {}: new broker credentials (from {}); connecting in {} ms",
            feed.label,
            feed.node,
            fresh.source().wireName(),
            wait.toMillis());
    feed.parent.tell(new Reconnecting("new broker credentials", attempt, wait));
    return new FeedBackingOff(feed, attempt).behavior();
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Reconnect.class, reconnect -> FeedConnecting.start(feed, attempt))
        .onMessage(Close.class, close -> Behaviors.stopped())
        // A connection already waiting keeps its backoff, a long cool-off after 805 included.
        .onMessage(RestartConnection.class, restart -> Behaviors.same())
        .onMessage(Resubscribe.class, feed::keep)
        .onMessage(GetSnapshotOf.class, feed::answer)
        .onMessage(CredentialsArrived.class, arrived -> Behaviors.same())
        .onMessage(SocketEvent.class, ofAnEarlierSocket -> Behaviors.same())
        .onSignal(PostStop.class, stop -> feed.stopped())
        .build();
  }
}
