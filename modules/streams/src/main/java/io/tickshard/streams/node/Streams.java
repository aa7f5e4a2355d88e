package io.tickshard.streams.node;

import io.tickshard.streams.broker.Broker;
import io.tickshard.streams.entity.IdleStop;
import io.tickshard.streams.entity.RememberedStreamsWakeUp;
import io.tickshard.streams.entity.StreamEntity;
import io.tickshard.streams.entity.StreamSettings;
import io.tickshard.streams.journal.JournalMonitor;
import io.tickshard.streams.registry.StreamHandOver;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.sharing.UpstreamSocket;
import io.tickshard.streams.ticks.ViewerTopics;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The streams of one node, wired in one place for the service and every test kit: the registry (its
 * proxy, announcement listener and hand-over wait), the broker credentials' keeper, sharding of the
 * stream entities, and the node's viewer topics.
 *
 * @param registry the proxy to the cluster's stream registry
 * @param topics this node's topic actors for viewers of a key's ticks
 * @param journal whether this node reaches the journal, as of its last check
 */
public record Streams(
    StreamSettings settings,
    ActorRef<StreamRegistry.Command> registry,
    ActorRef<ViewerTopics.Request> topics,
    JournalMonitor journal) {

  /** Starts everything the node's streams need; call once per actor system. */
  public static Streams start(ActorSystem<?> system, StreamSettings settings) {
    ActorRef<StreamRegistry.Command> registry =
        StreamRegistry.init(system, settings.registry(), RememberedStreamsWakeUp::create);
    system.systemActorOf(
        RegistryAnnouncements.listener(registry), "registry-announcements", Props.empty());
    StreamHandOver.addToCoordinatedShutdown(system, registry);
    Broker.get(system).startKeeping();
    StreamEntity.init(system, settings, registry);
    ClusterSharding sharding = ClusterSharding.get(system);
    UpstreamSocket.init(
        system,
        settings.feed(),
        settings.askTimeout(),
        new SocketsToRegistry(registry, system),
        (key, standing) ->
            sharding
                .entityRefFor(StreamEntity.TYPE_KEY, key.entityId())
                .tell(new StreamEntity.SocketUpdated(standing)));
    ActorRef<ViewerTopics.Request> topics =
        system
            .systemActorOf(
                ViewerTopics.create(
                    IdleStop.presenceInterval(settings.idleStopAfter()),
                    entityId ->
                        sharding
                            .entityRefFor(StreamEntity.TYPE_KEY, entityId)
                            .tell(new StreamEntity.ViewersPresent())),
                "tick-topics",
                Props.empty())
            .narrow();
    ClusterGauges.register(system, registry);
    GoneMembers.start(system);
    return new Streams(settings, registry, topics, JournalMonitor.get(system));
  }
}
