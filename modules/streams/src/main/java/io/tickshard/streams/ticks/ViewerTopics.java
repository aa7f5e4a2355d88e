package io.tickshard.streams.ticks;

import io.tickshard.streams.StreamKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * This node's subscriber side of the tick topics: one local topic actor per stream key, shared by
 * every viewer on the node, so that many browsers cost one receptionist registration. When streams
 * stop once unused ({@code tickshard.streams.idle-stop-after}), it also says, every presence
 * interval, which keys have viewers on this node.
 */
public final class ViewerTopics {
  private ViewerTopics() {}

  /** What this actor handles; others send only {@link GetTopic}. */
  public sealed interface Command {}

  /** Replies with this node's topic actor for the key, spawning it the first time. */
  public record GetTopic(StreamKey key, ActorRef<ActorRef<Topic.Command<Tick>>> replyTo)
      implements Command {}

  private record CountViewers() implements Command {}

  private record Counted(String entityId, Topic.TopicStats stats) implements Command {}

  /**
   * @param presenceInterval how often to say which keys have viewers here; empty: never
   * @param viewersPresent told the entity id of each key with a viewer on this node
   */
  public static Behavior<Command> create(
      Optional<Duration> presenceInterval, Consumer<String> viewersPresent) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  presenceInterval.ifPresent(
                      every -> timers.startTimerWithFixedDelay(new CountViewers(), every));
                  Map<String, ActorRef<Topic.Command<Tick>>> topics = new HashMap<>();
                  return Behaviors.receive(Command.class)
                      .onMessage(
                          GetTopic.class,
                          get -> {
                            ActorRef<Topic.Command<Tick>> topic =
                                topics.computeIfAbsent(
                                    get.key().entityId(),
                                    id ->
                                        context.spawn(
                                            TickTopic.create(get.key()), "topic-" + topics.size()));
                            get.replyTo().tell(topic);
                            return Behaviors.same();
                          })
                      .onMessage(
                          CountViewers.class,
                          count -> {
                            topics.forEach(
                                (entityId, topic) ->
                                    topic.tell(
                                        Topic.getTopicStats(
                                            context.messageAdapter(
                                                Topic.TopicStats.class,
                                                stats -> new Counted(entityId, stats)))));
                            return Behaviors.same();
                          })
                      .onMessage(
                          Counted.class,
                          counted -> {
                            if (counted.stats().localSubscriberCount() > 0) {
                              viewersPresent.accept(counted.entityId());
                            }
                            return Behaviors.same();
                          })
                      .build();
                }));
  }
}
