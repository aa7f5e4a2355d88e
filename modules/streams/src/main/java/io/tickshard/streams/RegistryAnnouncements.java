package io.tickshard.streams;

import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * How a new registry learns what runs, in seconds rather than a heartbeat period: it announces
 * itself on a topic, and on every node this actor asks the node's running stream entities to report
 * at once.
 */
public final class RegistryAnnouncements {
  private RegistryAnnouncements() {}

  /** Published by a registry that just started. */
  public record RegistryStarted() implements CborSerializable {}

  public static final String TOPIC = "stream-registry-announcements";

  public static Behavior<Topic.Command<RegistryStarted>> topic() {
    return Topic.create(RegistryStarted.class, TOPIC);
  }

  /** The node's listener: subscribes to the topic, and on an announcement asks for reports. */
  public static Behavior<Object> listener() {
    return Behaviors.setup(
        context -> {
          ActorRef<Topic.Command<RegistryStarted>> topic = context.spawn(topic(), "topic");
          topic.tell(Topic.subscribe(context.getSelf().narrow()));
          ActorRef<ShardRegion.CurrentShardRegionState> states =
              context.messageAdapter(ShardRegion.CurrentShardRegionState.class, state -> state);
          return Behaviors.receive(Object.class)
              .onMessage(
                  RegistryStarted.class,
                  started -> {
                    ClusterSharding.get(context.getSystem())
                        .shardState()
                        .tell(new GetShardRegionState(StreamEntity.TYPE_KEY, states));
                    return Behaviors.same();
                  })
              .onMessage(
                  ShardRegion.CurrentShardRegionState.class,
                  state -> {
                    for (ShardRegion.ShardState shard : state.getShards()) {
                      for (String entityId : (Set<String>) shard.getEntityIds()) {
                        ClusterSharding.get(context.getSystem())
                            .entityRefFor(StreamEntity.TYPE_KEY, entityId)
                            .tell(new StreamEntity.ReportNow());
                      }
                    }
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
