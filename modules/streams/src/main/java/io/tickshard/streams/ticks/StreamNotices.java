package io.tickshard.streams.ticks;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The one cluster-wide topic every stream's {@link FeedNotice}s go out on: a node-wide actor that
 * lives as long as the node. A topic per key, spawned when a stream starts or stops, would publish
 * before the cluster receptionist told it where that key's viewers are, and a stop published by a
 * stopping entity's child could be lost with the child; this one is known everywhere long before.
 * Notices are rare (a change of state), so every node hearing every key's costs little.
 */
public final class StreamNotices implements Extension {
  private static final ExtensionId<StreamNotices> ID =
      new ExtensionId<>() {
        @Override
        public StreamNotices createExtension(ActorSystem<?> system) {
          return new StreamNotices(system);
        }
      };

  public static StreamNotices get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final ActorRef<Topic.Command<FeedNotice>> topic;

  private StreamNotices(ActorSystem<?> system) {
    topic =
        system.systemActorOf(
            Topic.create(FeedNotice.class, "stream-notices"), "stream-notices", Props.empty());
  }

  /** To the viewers of the notice's key on every node. */
  public void publish(FeedNotice notice) {
    topic.tell(Topic.publish(notice));
  }

  /** {@code subscriber} hears every key's notices, until it stops. */
  public void subscribe(ActorRef<FeedNotice> subscriber) {
    topic.tell(Topic.subscribe(subscriber));
  }
}
