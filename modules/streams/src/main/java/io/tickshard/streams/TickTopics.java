package io.tickshard.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * This node's subscriber side of the tick topics: one local topic actor per stream key, shared by
 * every viewer on the node, so that many browsers cost one receptionist registration.
 *
 * <p>Each topic actor keeps one silent subscriber of its own, so it never deregisters from the
 * receptionist when its last viewer leaves. Why: in a three-node run, after a node was downed, a
 * topic deregistering made the cluster receptionist fail with "Trying to remove ... but that has
 * never been registered" and stop, and no topic on that node found a publisher again. A topic with
 * no viewer through two sweeps is stopped instead; the receptionist drops a stopped actor through
 * its death watch.
 */
public final class TickTopics {
  private TickTopics() {}

  public sealed interface Command {}

  /** Replies with this node's topic actor for the key, spawning it the first time. */
  public record GetTopic(StreamKey key, ActorRef<ActorRef<Topic.Command<Tick>>> replyTo)
      implements Command {}

  private record Sweep() implements Command {}

  private record Stats(String entityId, Topic.TopicStats stats) implements Command {}

  /** How often idle topics are looked for; one idle through a whole period is stopped. */
  public static final Duration SWEEP = Duration.ofMinutes(5);

  public static Behavior<Command> create() {
    return create(SWEEP);
  }

  public static Behavior<Command> create(Duration sweep) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(new Sweep(), sweep);
                  return new Topics(context).behavior();
                }));
  }

  private static final class Topics {
    private final ActorContext<Command> context;
    private final Map<String, ActorRef<Topic.Command<Tick>>> topics = new HashMap<>();

    /** Topics found idle at the last sweep: stopped if still idle at the next. */
    private final Map<String, Boolean> idleOnce = new HashMap<>();

    private final ActorRef<Tick> keeper;
    private long spawned;

    Topics(ActorContext<Command> context) {
      this.context = context;
      this.keeper = context.spawn(Behaviors.ignore(), "keeper");
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(GetTopic.class, this::onGet)
          .onMessage(Sweep.class, this::onSweep)
          .onMessage(Stats.class, this::onStats)
          .build();
    }

    private Behavior<Command> onGet(GetTopic get) {
      String id = get.key().entityId();
      ActorRef<Topic.Command<Tick>> topic = topics.get(id);
      if (topic == null) {
        topic = context.spawn(TickTopic.create(get.key()), "topic-" + (++spawned));
        topic.tell(Topic.subscribe(keeper));
        topics.put(id, topic);
      }
      idleOnce.remove(id);
      get.replyTo().tell(topic);
      return Behaviors.same();
    }

    private Behavior<Command> onSweep(Sweep sweep) {
      // One ask per topic: a message adapter would be one per class, so every answer would be
      // taken for the last topic asked.
      topics.forEach(
          (id, topic) ->
              context.ask(
                  Topic.TopicStats.class,
                  topic,
                  Duration.ofSeconds(5),
                  Topic::getTopicStats,
                  (stats, failure) -> new Stats(id, stats)));
      return Behaviors.same();
    }

    private Behavior<Command> onStats(Stats stats) {
      ActorRef<Topic.Command<Tick>> topic = topics.get(stats.entityId());
      if (topic == null || stats.stats() == null) {
        return Behaviors.same();
      }
      boolean onlyKeeper = stats.stats().localSubscriberCount() <= 1;
      if (!onlyKeeper) {
        idleOnce.remove(stats.entityId());
      } else if (idleOnce.put(stats.entityId(), true) != null) {
        context.stop(topic);
        topics.remove(stats.entityId());
        idleOnce.remove(stats.entityId());
      }
      return Behaviors.same();
    }
  }
}
