package io.tickshard.streams.ticks;

import io.tickshard.streams.StreamState;
import java.time.Instant;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.slf4j.Logger;

/**
 * The viewers of one key on this node, and the one subscriber of this node's topic for the key: a
 * batch of ticks reaches it once and is handed to each viewer by a call, not a message, so a
 * thousand viewers cost the topic one delivery and the viewers no actor of their own. It also hands
 * them the key's notices and, as this node sees them, its node's reachability changes.
 *
 * <p>Spawned by {@link ViewerTopics} with the key's first viewer and stopped by it with the last.
 */
final class KeyViewers {
  private KeyViewers() {}

  sealed interface Command {}

  record Join(TickViewer viewer) implements Command {}

  record Leave(TickViewer viewer) implements Command {}

  record Noticed(FeedNotice notice) implements Command {}

  /** The node {@code node} became unreachable from here, or reachable again. */
  record Reachability(String node, boolean reachable) implements Command {}

  private record Ticks(TickBatch batch) implements Command {}

  /**
   * @param first how the stream stood as its first viewer was told
   */
  static Behavior<Command> create(ActorRef<Topic.Command<TickBatch>> topic, FeedNotice first) {
    return Behaviors.setup(
        context -> {
          topic.tell(Topic.subscribe(context.messageAdapter(TickBatch.class, Ticks::new)));
          return new Viewing(context.getLog(), first).behavior();
        });
  }

  private static final class Viewing {
    private final Logger log;
    private TickViewer[] viewers = new TickViewer[0];
    private FeedNotice last;

    Viewing(Logger log, FeedNotice first) {
      this.log = log;
      this.last = first;
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Ticks.class, this::onTicks)
          .onMessage(Join.class, this::onJoin)
          .onMessage(Leave.class, this::onLeave)
          .onMessage(Noticed.class, this::onNotice)
          .onMessage(Reachability.class, this::onReachability)
          .build();
    }

    private Behavior<Command> onTicks(Ticks ticks) {
      tellAll(ticks.batch());
      return Behaviors.same();
    }

    private Behavior<Command> onJoin(Join join) {
      viewers = Arrays.copyOf(viewers, viewers.length + 1);
      viewers[viewers.length - 1] = join.viewer();
      return Behaviors.same();
    }

    private Behavior<Command> onLeave(Leave leave) {
      viewers = Arrays.stream(viewers).filter(v -> v != leave.viewer()).toArray(TickViewer[]::new);
      return Behaviors.same();
    }

    private Behavior<Command> onNotice(Noticed noticed) {
      tellAll(noticed.notice());
      if (!noticed.notice().stopped()) {
        last = noticed.notice();
      }
      return Behaviors.same();
    }

    /**
     * The node this stream runs on stopped answering: it is lost until sharding starts it elsewhere
     * (whose first notice then follows). Back in touch, nothing moved: as it was.
     */
    private Behavior<Command> onReachability(Reachability change) {
      if (!change.node().equals(last.node())) {
        return Behaviors.same();
      }
      tellAll(
          change.reachable()
              ? new FeedNotice(
                  last.entityId(), last.state(), last.node(), last.reason(), Instant.now())
              : new FeedNotice(
                  last.entityId(),
                  StreamState.LOST,
                  change.node(),
                  "its node "
                      + change.node()
                      + " is unreachable; it starts again elsewhere unless it comes back",
                  Instant.now()));
      return Behaviors.same();
    }

    /** A viewer that fails is dropped, not every viewer of the key with this actor. */
    private void tellAll(ViewerEvent event) {
      for (TickViewer viewer : viewers) {
        try {
          viewer.tell(event);
        } catch (RuntimeException failure) {
          log.warn(
              "stream {}: dropped a viewer that failed: {}", last.entityId(), failure.toString());
          onLeave(new Leave(viewer));
        }
      }
    }
  }
}
