package io.tickshard.streams.node;

import io.tickshard.streams.NodeName;
import io.tickshard.streams.entity.StreamEntity;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.sharing.UpstreamSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * How a new registry learns what runs, in a moment rather than a heartbeat period: it announces
 * itself on a topic; on every node a listener asks the node's stream entities to report at once,
 * and when all of them have, tells the registry that this node is done.
 *
 * <p>Entities and listener reach the registry through the same proxy on their node, so a node's
 * "done" arrives after the reports it vouches for.
 */
public final class RegistryAnnouncements {
  private RegistryAnnouncements() {}

  /** How long a node waits for its entities before giving up on one announcement. */
  private static final Duration INVENTORY_TIMEOUT = Duration.ofSeconds(3);

  /** The node's listener: subscribes to the topic and takes an inventory per announcement. */
  public static Behavior<StreamRegistry.RegistryStarted> listener(
      ActorRef<StreamRegistry.Command> registry) {
    return Behaviors.setup(
        context -> {
          ActorRef<Topic.Command<StreamRegistry.RegistryStarted>> topic =
              context.spawn(StreamRegistry.announcementTopic(), "topic");
          topic.tell(Topic.subscribe(context.getSelf()));
          return Behaviors.receiveMessage(
              started -> {
                context.spawnAnonymous(inventory(started.registryId(), registry));
                return Behaviors.same();
              });
        });
  }

  private record GiveUp() {}

  /** The socket slots' region answered (state null: it did not in time). */
  private record SocketRegion(ShardRegion.CurrentShardRegionState state) {}

  /** One region answered: done when both have, and every entity asked has reported. */
  private static Behavior<Object> heard(
      int[] regionsToHear, Set<String> waiting, Runnable allReported) {
    if (--regionsToHear[0] == 0 && waiting.isEmpty()) {
      allReported.run();
      return Behaviors.stopped();
    }
    return Behaviors.same();
  }

  private static Set<String> ids(ShardRegion.CurrentShardRegionState state) {
    Set<String> ids = new HashSet<>();
    if (state != null) {
      for (ShardRegion.ShardState shard : state.getShards()) {
        for (Object id : shard.getEntityIds()) {
          ids.add((String) id);
        }
      }
    }
    return ids;
  }

  /** Marks a socket slot among the entities waited for (their ids are apart from keys'). */
  private static final String SOCKET = "socket:";

  /** Has every stream entity on this node report, then says so to the registry, and stops. */
  private static Behavior<Object> inventory(
      String registryId, ActorRef<StreamRegistry.Command> registry) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  timers.startSingleTimer(new GiveUp(), INVENTORY_TIMEOUT);
                  ActorRef<ShardRegion.CurrentShardRegionState> states =
                      context.messageAdapter(
                          ShardRegion.CurrentShardRegionState.class, state -> state);
                  ActorRef<StreamEntity.StatusSent> reported =
                      context.messageAdapter(StreamEntity.StatusSent.class, done -> done);
                  ActorRef<UpstreamSocket.Reported> socketReported =
                      context.messageAdapter(
                          UpstreamSocket.Reported.class,
                          done -> new StreamEntity.StatusSent(SOCKET + done.entityId()));
                  ClusterSharding sharding = ClusterSharding.get(context.getSystem());
                  // The keys, and the shared sockets (what they carry, for a registry that
                  // knows nothing yet): two regions, two answers.
                  sharding
                      .shardState()
                      .tell(new GetShardRegionState(StreamEntity.TYPE_KEY, states));
                  context.pipeToSelf(
                      AskPattern.ask(
                          sharding.shardState(),
                          (ActorRef<ShardRegion.CurrentShardRegionState> replyTo) ->
                              new GetShardRegionState(UpstreamSocket.TYPE_KEY, replyTo),
                          INVENTORY_TIMEOUT,
                          context.getSystem().scheduler()),
                      (state, failure) -> new SocketRegion(state));
                  int[] regionsToHear = {2};
                  String node = NodeName.of(context.getSystem());
                  Set<String> waiting = new HashSet<>();
                  Runnable allReported =
                      () -> registry.tell(new StreamRegistry.NodeCaughtUp(registryId, node));
                  return Behaviors.receive(Object.class)
                      .onMessage(
                          ShardRegion.CurrentShardRegionState.class,
                          state -> {
                            for (String entityId : ids(state)) {
                              waiting.add(entityId);
                              sharding
                                  .entityRefFor(StreamEntity.TYPE_KEY, entityId)
                                  .tell(new StreamEntity.SendStatusNow(reported));
                            }
                            return heard(regionsToHear, waiting, allReported);
                          })
                      .onMessage(
                          SocketRegion.class,
                          region -> {
                            for (String entityId : ids(region.state())) {
                              waiting.add(SOCKET + entityId);
                              sharding
                                  .entityRefFor(UpstreamSocket.TYPE_KEY, entityId)
                                  .tell(new UpstreamSocket.ReportNow(socketReported));
                            }
                            return heard(regionsToHear, waiting, allReported);
                          })
                      .onMessage(
                          StreamEntity.StatusSent.class,
                          done -> {
                            waiting.remove(done.entityId());
                            if (regionsToHear[0] == 0 && waiting.isEmpty()) {
                              allReported.run();
                              return Behaviors.stopped();
                            }
                            return Behaviors.same();
                          })
                      // Not every entity answered (one was moving, or this node is starved): the
                      // registry's window ends its wait instead.
                      .onMessage(GiveUp.class, giveUp -> Behaviors.stopped())
                      .build();
                }));
  }
}
