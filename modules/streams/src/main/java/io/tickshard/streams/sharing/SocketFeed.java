package io.tickshard.streams.sharing;

import io.tickshard.feed.FeedRequest;
import io.tickshard.streams.outputs.TickOutputs;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.upstream.FeedConnection;
import io.tickshard.streams.upstream.FeedSettings;
import io.tickshard.streams.upstream.FeedSubscription;
import io.tickshard.streams.upstream.TickSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A socket slot's broker socket on this node: the feed connection it runs as a child, a new one (a
 * new generation) each time it opens, and the ones closing. Plain state of one {@link
 * UpstreamSocket}, which hears of a child's end as {@link UpstreamSocket.FeedStopped}.
 */
final class SocketFeed {
  private final ActorContext<UpstreamSocket.Command> context;
  private final FeedSettings settings;
  private final Duration askTimeout;
  private ActorRef<FeedConnection.Command> feed;
  private int generation;

  /** Connections not stopped yet, the ones closing included: the slot's lease covers them all. */
  private int live;

  private boolean closingToStop;

  SocketFeed(
      ActorContext<UpstreamSocket.Command> context, FeedSettings settings, Duration askTimeout) {
    this.context = context;
    this.settings = settings;
    this.askTimeout = askTimeout;
  }

  /** A connection is open (or opening) here. */
  boolean open() {
    return feed != null;
  }

  /** The slot is closing its socket to stop (moving off this node). */
  boolean closingToStop() {
    return closingToStop;
  }

  /** None is open or opening, and one is needed: the slot carries something and is not stopping. */
  boolean wanted(boolean carriesNothing) {
    return feed == null && !closingToStop && !carriesNothing;
  }

  /**
   * No connection of the slot is open or still closing here, and none is wanted (it carries
   * nothing, or it is stopping): what its lease covered is over.
   */
  boolean done(boolean carriesNothing) {
    return live == 0 && feed == null && (closingToStop || carriesNothing);
  }

  /**
   * Opens a connection publishing to {@code keys}, and to the node's side outputs too: they hear
   * each tick once in the cluster, since each instrument rides on one socket (shared sockets).
   */
  void open(FeedSubscription subscription, TickSink keys, ActorRef<FeedConnection.Update> updates) {
    int opened = ++generation;
    live++;
    TickSink sink = TickOutputs.get(context.getSystem()).alongside(keys);
    feed =
        context.spawn(
            Behaviors.supervise(FeedConnection.create(subscription, settings, sink, updates))
                .onFailure(
                    SupervisorStrategy.restartWithBackoff(
                        settings.backoffMin(), settings.backoffMax(), 0.2)),
            "feed-" + opened);
    context.watchWith(feed, new UpstreamSocket.FeedStopped(opened));
  }

  /** Closes the open connection; it counts as live until it has stopped. */
  void close() {
    if (feed != null) {
      feed.tell(new FeedConnection.Close());
      feed = null;
    }
  }

  /** Closes the open connection for good: the slot stops once it has. False: none was open. */
  boolean closeToStop() {
    if (feed == null) {
      return false;
    }
    if (!closingToStop) {
      closingToStop = true;
      feed.tell(new FeedConnection.Close());
    }
    return true;
  }

  void resubscribe(FeedSubscription subscription, List<FeedRequest> requests) {
    feed.tell(new FeedConnection.Resubscribe(subscription, requests));
  }

  void restart(String reason) {
    if (feed != null) {
      feed.tell(new FeedConnection.RestartConnection(reason));
    }
  }

  /** A connection stopped; whether it was the open one (not one closed earlier). */
  boolean stopped(UpstreamSocket.FeedStopped stopped) {
    live--;
    if (stopped.generation() != generation) {
      return false;
    }
    feed = null;
    return true;
  }

  /** Answers with the latest ticks of the instruments asked for, none when no socket is open. */
  void snapshot(UpstreamSocket.GetSnapshot get) {
    if (feed == null) {
      get.replyTo().tell(new UpstreamSocket.SnapshotReply(List.of()));
      return;
    }
    AskPattern.ask(
            feed,
            (ActorRef<FeedConnection.Snapshot> replyTo) ->
                new FeedConnection.GetSnapshotOf(get.instruments(), replyTo),
            askTimeout,
            context.getSystem().scheduler())
        .whenComplete(
            (snapshot, failure) -> {
              List<Tick> ticks = new ArrayList<>();
              if (snapshot != null) {
                snapshot.ticks().forEach(tick -> tick.latestIn(get.mode()).ifPresent(ticks::add));
              }
              get.replyTo().tell(new UpstreamSocket.SnapshotReply(ticks));
            });
  }
}
