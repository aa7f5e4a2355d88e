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
 * This node's viewer side of the streams: one local tick topic actor per stream key, shared by
 * every viewer on the node, so that many browsers cost one receptionist registration; and the
 * stream notices ({@link StreamNotices}) handed to the viewers of their key here. When the node a
 * viewed stream runs on becomes unreachable, its viewers here are told at once that it is lost
 * (and, should the node come back, how it stood), since that node cannot say so itself.
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
  public record GetTopic(StreamKey key, ActorRef<ActorRef<Topic.Command<Tick>>> replyTo)
      implements Request {}

  /**
   * Subscribes a viewer to the key's ticks and hands it the key's notices, until the viewer stops;
   * replies once it is subscribed.
   *
   * @param node where the stream runs, as its status said when the viewer came
   * @param state how it stood then
   */
  public record Attach(
      StreamKey key,
      String node,
      StreamState state,
      ActorRef<ViewerEvent> viewer,
      ActorRef<Done> replyTo)
      implements Request {}

  private record CountViewers() implements Command {}

  private record Counted(String entityId, Topic.TopicStats stats) implements Command {}

  private record Noticed(FeedNotice notice) implements Command {}

  private record ViewerGone(String entityId, ActorRef<ViewerEvent> viewer) implements Command {}

  private record Reachability(String node, boolean reachable) implements Command {}

  /** A key viewed here: its viewers, and where and how its stream stands as last heard. */
  private static final class Viewed {
    final Set<ActorRef<ViewerEvent>> viewers = new HashSet<>();
    FeedNotice last;

    Viewed(FeedNotice last) {
      this.last = last;
    }
  }

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
    private final Map<String, ActorRef<Topic.Command<Tick>>> topics = new HashMap<>();
    private final Map<String, Viewed> viewed = new HashMap<>();

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
          .onMessage(Noticed.class, this::onNotice)
          .onMessage(ViewerGone.class, this::onViewerGone)
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

    private ActorRef<Topic.Command<Tick>> topic(StreamKey key) {
      return topics.computeIfAbsent(
          key.entityId(), id -> context.spawn(TickTopic.create(key), "topic-" + topics.size()));
    }

    private Behavior<Command> onAttach(Attach attach) {
      String entityId = attach.key().entityId();
      // Never Topic.unsubscribe: the topic watches the subscriber, whose actor stops with its
      // stream. Unsubscribing as well races that Terminated, and a topic that sees both for its
      // last subscriber deregisters twice, which makes Pekko's cluster receptionist throw and
      // stop for the whole node (no topic here would find a publisher again).
      topic(attach.key()).tell(Topic.subscribe(attach.viewer().<Tick>narrow()));
      viewed
          .computeIfAbsent(
              entityId,
              id ->
                  new Viewed(
                      new FeedNotice(id, attach.state(), attach.node(), null, Instant.now())))
          .viewers
          .add(attach.viewer());
      context.watchWith(attach.viewer(), new ViewerGone(entityId, attach.viewer()));
      attach.replyTo().tell(Done.getInstance());
      return Behaviors.same();
    }

    private Behavior<Command> onNotice(Noticed noticed) {
      FeedNotice notice = noticed.notice();
      Viewed key = viewed.get(notice.entityId());
      if (key == null) {
        return Behaviors.same(); // no viewer of it here
      }
      key.viewers.forEach(viewer -> viewer.tell(notice));
      if (notice.stopped()) {
        viewed.remove(notice.entityId()); // their streams end with it
      } else {
        key.last = notice;
      }
      return Behaviors.same();
    }

    private Behavior<Command> onViewerGone(ViewerGone gone) {
      Viewed key = viewed.get(gone.entityId());
      if (key != null && key.viewers.remove(gone.viewer()) && key.viewers.isEmpty()) {
        viewed.remove(gone.entityId());
      }
      return Behaviors.same();
    }

    /**
     * The node a viewed stream runs on stopped answering: the stream is lost until sharding starts
     * it elsewhere (whose first notice then follows). Back in touch, nothing moved: as it was.
     */
    private Behavior<Command> onReachability(Reachability change) {
      viewed.values().stream()
          .filter(key -> change.node().equals(key.last.node()))
          .forEach(
              key -> {
                FeedNotice now =
                    change.reachable()
                        ? new FeedNotice(
                            key.last.entityId(),
                            key.last.state(),
                            key.last.node(),
                            key.last.reason(),
                            Instant.now())
                        : new FeedNotice(
                            key.last.entityId(),
                            StreamState.LOST,
                            change.node(),
                            "its node "
                                + change.node()
                                + " is unreachable; it starts again elsewhere unless it comes back",
                            Instant.now());
                key.viewers.forEach(viewer -> viewer.tell(now));
              });
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
