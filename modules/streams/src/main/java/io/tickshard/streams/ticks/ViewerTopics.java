package io.tickshard.streams.ticks;

import io.tickshard.streams.StreamKey;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * This node's subscriber side of the tick topics: one local topic actor per stream key, shared by
 * every viewer on the node, so that many browsers cost one receptionist registration.
 */
public final class ViewerTopics {
  private ViewerTopics() {}

  /** Replies with this node's topic actor for the key, spawning it the first time. */
  public record GetTopic(StreamKey key, ActorRef<ActorRef<Topic.Command<Tick>>> replyTo) {}

  public static Behavior<GetTopic> create() {
    return Behaviors.setup(
        context -> {
          Map<String, ActorRef<Topic.Command<Tick>>> topics = new HashMap<>();
          return Behaviors.receiveMessage(
              get -> {
                ActorRef<Topic.Command<Tick>> topic =
                    topics.computeIfAbsent(
                        get.key().entityId(),
                        id -> context.spawn(TickTopic.create(get.key()), "topic-" + topics.size()));
                get.replyTo().tell(topic);
                return Behaviors.same();
              });
        });
  }
}
