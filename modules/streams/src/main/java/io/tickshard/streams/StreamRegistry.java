package io.tickshard.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The cluster-wide view of streams, as one cluster singleton: every {@link StreamEntity} reports
 * itself when it starts, on every change and heartbeat, and says goodbye when it stops. Listing
 * streams asks this one actor, not every entity.
 *
 * <p>It watches the entities: one that stops without saying goodbye (its node died, or it is handed
 * over) is shown as {@code lost} until it reports again from its new node. After a hand-over of the
 * singleton itself, the view is rebuilt from the next heartbeats; until one heartbeat period has
 * passed, answers say {@code complete: false}.
 */
public final class StreamRegistry extends AbstractBehavior<StreamRegistry.Command> {

  public sealed interface Command extends CborSerializable {}

  /** A stream's latest status, from its entity. */
  public record Report(StreamEntity.Status status, ActorRef<StreamEntity.Command> entity)
      implements Command {}

  /** The stream stopped for good. */
  public record Deregister(String key) implements Command {}

  public record GetListing(ActorRef<Listing> replyTo) implements Command {}

  private record EntityGone(String key, ActorRef<StreamEntity.Command> entity) implements Command {}

  /** Every stream known, with counts per node. */
  public record Listing(
      List<StreamEntity.Status> streams,
      Map<String, Integer> perNode,
      int total,
      boolean complete,
      Instant registrySince)
      implements CborSerializable {}

  private record Entry(StreamEntity.Status status, ActorRef<StreamEntity.Command> entity) {}

  public static final String NAME = "stream-registry";

  /** The proxy to the singleton; the same one for every call on a node. */
  public static ActorRef<Command> init(ActorSystem<?> system, Duration heartbeatInterval) {
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                Behaviors.supervise(create(heartbeatInterval))
                    .onFailure(SupervisorStrategy.restart()),
                NAME));
  }

  public static Behavior<Command> create(Duration heartbeatInterval) {
    return Behaviors.setup(context -> new StreamRegistry(context, heartbeatInterval));
  }

  private final Map<String, Entry> streams = new HashMap<>();
  private final Instant since = Instant.now();
  private final Duration rebuildPeriod;

  private StreamRegistry(ActorContext<Command> context, Duration heartbeatInterval) {
    super(context);
    // One heartbeat period plus slack: by then every live entity has reported.
    this.rebuildPeriod = heartbeatInterval.plus(heartbeatInterval.dividedBy(2));
    context.getLog().info("stream registry started on {}", NodeName.of(context.getSystem()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Report.class, this::onReport)
        .onMessage(Deregister.class, this::onDeregister)
        .onMessage(EntityGone.class, this::onEntityGone)
        .onMessage(GetListing.class, this::onGetListing)
        .build();
  }

  private Behavior<Command> onReport(Report report) {
    String key = report.status().key();
    Entry previous = streams.put(key, new Entry(report.status(), report.entity()));
    if (previous == null || !previous.entity().equals(report.entity())) {
      getContext().watchWith(report.entity(), new EntityGone(key, report.entity()));
    }
    return this;
  }

  private Behavior<Command> onDeregister(Deregister deregister) {
    Entry removed = streams.remove(deregister.key());
    if (removed != null) {
      getContext().unwatch(removed.entity());
    }
    return this;
  }

  private Behavior<Command> onEntityGone(EntityGone gone) {
    Entry entry = streams.get(gone.key());
    if (entry != null && entry.entity().equals(gone.entity())) {
      StreamEntity.Status s = entry.status();
      streams.put(
          gone.key(),
          new Entry(
              new StreamEntity.Status(
                  s.key(),
                  "lost",
                  s.node(),
                  s.pid(),
                  s.startedAt(),
                  s.heartbeatAt(),
                  s.lastTickAt(),
                  s.ticks(),
                  s.instruments(),
                  s.mode(),
                  s.reconnects(),
                  "its node left or stopped; waiting for it to start elsewhere",
                  null,
                  null),
              entry.entity()));
      getContext().getLog().info("stream {} on {}: lost", gone.key(), s.node());
    }
    return this;
  }

  private Behavior<Command> onGetListing(GetListing get) {
    List<StreamEntity.Status> all =
        streams.values().stream()
            .map(Entry::status)
            .sorted(Comparator.comparing(StreamEntity.Status::key))
            .toList();
    Map<String, Integer> perNode = new TreeMap<>();
    for (StreamEntity.Status status : all) {
      if (!"lost".equals(status.status())) {
        perNode.merge(status.node(), 1, Integer::sum);
      }
    }
    boolean complete = Duration.between(since, Instant.now()).compareTo(rebuildPeriod) >= 0;
    get.replyTo().tell(new Listing(all, perNode, all.size(), complete, since));
    return this;
  }
}
