package io.tickshard.streams.entity;

import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.sharing.KeyListeners;
import io.tickshard.streams.sharing.UpstreamSocket;
import io.tickshard.streams.ticks.FeedNotice;
import io.tickshard.streams.ticks.Tick;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One stream key's stream, sharded so that at most one runs in the whole cluster. It persists only
 * the intent: started (with what) or stopped (and why); remember-entities brings a started one back
 * by itself after its node dies or the cluster restarts. What it holds while it runs here (its
 * lease on the sockets, why it waits) is its {@link StreamRuntime}, built afresh on every
 * (re)start. Its sockets are not its own: the {@link UpstreamSocket}s the registry placed its
 * instruments on carry them, and tell it how they stand.
 *
 * <p>This file holds its protocol, events and state; its behaviour, by state, is {@link
 * StreamBehavior}'s.
 */
public final class StreamEntity {
  private StreamEntity() {}

  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "StreamEntity");

  /** Persistence ids are this and the entity id (the journal's own list of started streams). */
  public static final String PERSISTENCE_ID_PREFIX = TYPE_KEY.name() + "|";

  // ---- protocol -----------------------------------------------------------------------------

  public sealed interface Command extends CborSerializable {}

  /**
   * Start the stream unless it runs; see {@link StartReply} for the answers.
   *
   * @param answerBy when the caller stops waiting (null: never); a start that arrives later (held
   *     up in a rebalance, or behind a journal outage) is dropped, so that a caller told 503 can
   *     trust that nothing started
   */
  public record Start(StreamSpec spec, ActorRef<StartReply> replyTo, Instant answerBy)
      implements Command {
    public Start(StreamSpec spec, ActorRef<StartReply> replyTo) {
      this(spec, replyTo, null);
    }
  }

  /**
   * Stop the stream for good (persisted): closes the socket and forgets the entity.
   *
   * @param answerBy as for {@link Start}: a stop that arrives after it is dropped
   */
  public record Stop(String reason, ActorRef<StopReply> replyTo, Instant answerBy)
      implements Command {
    public Stop(String reason, ActorRef<StopReply> replyTo) {
      this(reason, replyTo, null);
    }
  }

  public record GetStatus(ActorRef<StatusReply> replyTo) implements Command {}

  /** A node has tick viewers of this stream (for {@code tickshard.streams.idle-stop-after}). */
  public record ViewersPresent() implements Command {}

  /**
   * The latest value per instrument, so a late viewer sees prices (prev close included) at once.
   */
  public record GetSnapshot(ActorRef<SnapshotReply> replyTo) implements Command {}

  /** Its sockets drop their connections and connect again. */
  public record RestartConnection(String reason) implements Command {}

  /**
   * A new registry asks every stream to send its status at once (see RegistryAnnouncements);
   * running ones send it to the registry, then every one answers {@link StatusSent}.
   */
  public record SendStatusNow(ActorRef<StatusSent> replyTo) implements Command {}

  /** Sent after the status (if any) went to the registry through this node's proxy. */
  public record StatusSent(String entityId) implements CborSerializable {}

  /** Sent by sharding to stop the entity (passivation, hand-off, shutdown). */
  public record GracefulStop() implements Command {}

  /** From a socket this key rides on: how it stands, and this key's figures there. */
  public record SocketUpdated(KeyListeners.Standing standing) implements Command {}

  /** The registry's answer to the slot request of the starts waiting for it. */
  record SlotForStarts(StreamKey key, StreamRegistry.SlotReply reply) implements Command {}

  /** The registry's answer to the slot request of a stream that came back by itself. */
  record SlotForRecovery(StreamRegistry.SlotReply reply) implements Command {}

  record RetrySlot() implements Command {}

  record MarketCloseDue() implements Command {}

  record PassivateIfIdle() implements Command {}

  record IdleCheck() implements Command {}

  /** Answers to {@link GetStatus}. */
  public sealed interface StatusReply extends CborSerializable {}

  public record Found(StreamStatus status) implements StatusReply {}

  /** The key was never started here. */
  public record Unknown() implements StatusReply {}

  /**
   * @param state how the stream stands ({@code STOPPED} once stopped); null: never started
   * @param stopped null while the stream runs; else what its viewers are told, as it stopped before
   *     the viewer's question reached it
   */
  public record SnapshotReply(List<Tick> ticks, StreamState state, FeedNotice stopped)
      implements CborSerializable {

    /** A snapshot of a running stream. */
    public static SnapshotReply running(List<Tick> ticks, StreamState state) {
      return new SnapshotReply(ticks, state, null);
    }
  }

  // ---- events and state ---------------------------------------------------------------------

  public sealed interface Event extends CborSerializable {}

  public record StreamStarted(StreamSpec spec, Instant at) implements Event {}

  /**
   * @param ticks the stream's ticks when it stopped, as it last heard its sockets' figures; null in
   *     events written before it was recorded
   * @param lastTickAt its last tick then; null likewise, or when none came
   */
  public record StreamStopped(String reason, Instant at, Long ticks, Instant lastTickAt)
      implements Event {}

  /**
   * What the journal knows: nothing yet, a running stream, or a stopped one (with its last figures,
   * when its stop recorded them).
   */
  public record State(
      StreamSpec spec,
      Instant startedAt,
      boolean active,
      String stopReason,
      Instant stoppedAt,
      Long ticks,
      Instant lastTickAt)
      implements CborSerializable {

    static State empty() {
      return new State(null, null, false, null, null, null, null);
    }

    boolean known() {
      return spec != null;
    }

    static State started(StreamStarted started) {
      return new State(started.spec(), started.at(), true, null, null, null, null);
    }

    State stopped(StreamStopped stopped) {
      return new State(
          spec,
          startedAt,
          false,
          stopped.reason(),
          stopped.at(),
          stopped.ticks(),
          stopped.lastTickAt());
    }
  }

  // ---- setup --------------------------------------------------------------------------------

  /** Starts sharding for stream entities on this node; see {@code Streams.start}. */
  public static ActorRef<ShardingEnvelope<Command>> init(
      ActorSystem<?> system, StreamSettings settings, ActorRef<StreamRegistry.Command> registry) {
    return ClusterSharding.get(system)
        .init(
            Entity.of(
                    TYPE_KEY,
                    context ->
                        create(context.getEntityId(), settings, context.getShard(), registry))
                .withStopMessage(new GracefulStop()));
  }

  public static EntityRef<Command> entityRefFor(ActorSystem<?> system, StreamKey key) {
    return ClusterSharding.get(system).entityRefFor(TYPE_KEY, key.entityId());
  }

  public static Behavior<Command> create(
      String entityId,
      StreamSettings settings,
      ActorRef<ClusterSharding.ShardCommand> shard,
      ActorRef<StreamRegistry.Command> registry) {
    // Its key and node on every log line (as fields in the JSON log format).
    return Behaviors.setup(
        context ->
            Behaviors.withMdc(
                Command.class,
                Map.of("stream", entityId, "node", NodeName.of(context.getSystem())),
                Behaviors.withTimers(
                    timers ->
                        new StreamBehavior(entityId, settings, shard, registry, context, timers))));
  }
}
