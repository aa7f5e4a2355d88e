package io.tickshard.streams.ticks;

import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * This node's viewer side of the streams: one local tick topic actor per stream key, and one {@link
 * KeyViewers} subscribed to it that hands each batch to every viewer of the key here, so that many
 * browsers cost one receptionist registration and one delivery; and the stream notices ({@link
 * StreamNotices}) handed to the viewers of their key here. When the node a viewed stream runs on
 * becomes unreachable, its viewers here are told at once that it is lost (and, should the node come
 * back, how it stood), since that node cannot say so itself.
 *
 * <p>When streams stop once unused ({@code tickshard.streams.idle-stop-after}), it also says, every
 * presence interval, which keys have viewers on this node.
 */
public final class ViewerTopics {
  private ViewerTopics() {}

  /** What this actor handles. */
  public sealed interface Command {}

  /** What others send it. */
  public sealed interface Request extends Command {}

  /** Replies with this node's topic actor for the key, spawning it the first time. */
  public record GetTopic(StreamKey key, ActorRef<ActorRef<Topic.Command<TickBatch>>> replyTo)
      implements Request {}

  /**
   * Hands a viewer the key's ticks and notices until it is detached; replies once it is attached,
   * so that whatever is published from then on reaches it.
   *
   * @param node where the stream runs, as its status said when the viewer came
   * @param state how it stood then
   */
  public record Attach(
      StreamKey key, String node, StreamState state, TickViewer viewer, ActorRef<Done> replyTo)
      implements Request {}

  /** The viewer is gone: nothing more is handed to it. */
  public record Detach(StreamKey key, TickViewer viewer) implements Request {}

  private record CountViewers() implements Command {}

  private record Counted(String entityId, Topic.TopicStats stats) implements Command {}

  private record Noticed(FeedNotice notice) implements Command {}

  private record Reachability(String node, boolean reachable) implements Command {}

  /** A key viewed here: the actor handing out its events, and its viewers. */
  private record Viewed(ActorRef<KeyViewers.Command> handing, Set<TickViewer> viewers) {}

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
                  StreamNotices.get(context.getSystem())
                      .subscribe(context.messageAdapter(FeedNotice.class, Noticed::new));
                  Cluster.get(context.getSystem())
                      .subscriptions()
                      .tell(
                          Subscribe.create(
                              context.messageAdapter(
                                  ClusterEvent.ReachabilityEvent.class,
                                  event ->
                                      new Reachability(
                                          NodeName.of(event.member().address()),
                                          event instanceof ClusterEvent.ReachableMember)),
                              ClusterEvent.ReachabilityEvent.class));
                  return new Viewers(context, viewersPresent).behavior();
                }));
  }

  private static final class Viewers {
    private final ActorContext<Command> context;
    private final Consumer<String> viewersPresent;
    private final Map<String, ActorRef<Topic.Command<TickBatch>>> topics = new HashMap<>();
    private final Map<String, Viewed> viewed = new HashMap<>();
    private long spawned;

    Viewers(ActorContext<Command> context, Consumer<String> viewersPresent) {
      this.context = context;
      this.viewersPresent = viewersPresent;
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(
              GetTopic.class,
              get -> {
                get.replyTo().tell(topic(get.key()));
                return Behaviors.same();
              })
          .onMessage(Attach.class, this::onAttach)
          .onMessage(Detach.class, this::onDetach)
          .onMessage(Noticed.class, this::onNotice)
          .onMessage(Reachability.class, this::onReachability)
          .onMessage(CountViewers.class, this::onCountViewers)
          .onMessage(
              Counted.class,
              counted -> {
                if (counted.stats().localSubscriberCount() > 0) {
                  viewersPresent.accept(counted.entityId());
                }
                return Behaviors.same();
              })
          .build();
    }

    private ActorRef<Topic.Command<TickBatch>> topic(StreamKey key) {
      return topics.computeIfAbsent(
          key.entityId(), id -> context.spawn(TickTopic.create(key), "topic-" + topics.size()));
    }

    private Behavior<Command> onAttach(Attach attach) {
      String entityId = attach.key().entityId();
      Viewed key =
          viewed.computeIfAbsent(
              entityId,
              id ->
                  new Viewed(
                      context.spawn(
                          KeyViewers.create(
                              topic(attach.key()),
                              new FeedNotice(
                                  id, attach.state(), attach.node(), null, Instant.now())),
                          "viewers-" + spawned++),
                      new HashSet<>()));
      if (key.viewers().add(attach.viewer())) {
        // Told before the reply: whatever is published after the caller hears it reaches it.
        key.handing().tell(new KeyViewers.Join(attach.viewer()));
      }
      attach.replyTo().tell(Done.getInstance());
      return Behaviors.same();
    }

    /**
     * Its last viewer gone, the key's {@link KeyViewers} stops, which takes it off the topic. Never
     * Topic.unsubscribe as well: the topic watches its subscriber, and a topic that sees both for
     * its last subscriber deregisters twice, which makes Pekko's cluster receptionist throw and
     * stop for the whole node (no topic here would find a publisher again).
     */
    private Behavior<Command> onDetach(Detach detach) {
      String entityId = detach.key().entityId();
      Viewed key = viewed.get(entityId);
      if (key == null || !key.viewers().remove(detach.viewer())) {
        return Behaviors.same();
      }
      if (key.viewers().isEmpty()) {
        context.stop(key.handing());
        viewed.remove(entityId);
      } else {
        key.handing().tell(new KeyViewers.Leave(detach.viewer()));
      }
      return Behaviors.same();
    }

    private Behavior<Command> onNotice(Noticed noticed) {
      Viewed key = viewed.get(noticed.notice().entityId());
      if (key != null) {
        key.handing().tell(new KeyViewers.Noticed(noticed.notice()));
      }
      return Behaviors.same();
    }

    private Behavior<Command> onReachability(Reachability change) {
      viewed
          .values()
          .forEach(
              key ->
                  key.handing()
                      .tell(new KeyViewers.Reachability(change.node(), change.reachable())));
      return Behaviors.same();
    }

    private Behavior<Command> onCountViewers(CountViewers count) {
      topics.forEach(
          (entityId, topic) ->
              topic.tell(
                  Topic.getTopicStats(
                      context.messageAdapter(
                          Topic.TopicStats.class, stats -> new Counted(entityId, stats)))));
      return Behaviors.same();
    }
  }
}
