package io.tickshard.streams.registry;

import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.sharing.SocketState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a leaving node in the cluster until the streams and socket slots it handed off run on other
 * nodes.
 *
 * <p>Sharding hands a leaving node's shards off before the node leaves, and the shard coordinator
 * then places them on the other nodes, where each stream asks the registry for its slot again. When
 * the leaving node is the oldest, the coordinator and the registry run there too, and they move as
 * soon as it leaves: placements still in flight are lost, and the streams wait for the new
 * coordinator and a new registry's view (seconds, more on a busy machine). Waiting in a phase of
 * its own between sharding's hand-off and the leave (tickshard-streams.conf) lets the old ones
 * finish: the gap a viewer sees is then the same whichever node leaves.
 */
public final class StreamHandOver {
  /** After {@code cluster-sharding-shutdown-region}, before {@code cluster-leave}. */
  public static final String PHASE = "tickshard-streams-handed-over";

  private static final Logger LOG = LoggerFactory.getLogger(StreamHandOver.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private StreamHandOver() {}

  /** Adds the wait to this node's coordinated shutdown; bounded by the phase's timeout. */
  public static void addToCoordinatedShutdown(
      ActorSystem<?> system, ActorRef<StreamRegistry.Command> registry) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    Duration max = Duration.ofNanos(shutdown.timeout(PHASE).toNanos());
    shutdown.addTask(
        PHASE,
        "await-streams-running-elsewhere",
        () -> {
          if (!leavingForAnotherNode(system)) {
            return CompletableFuture.completedFuture(Done.done());
          }
          Instant began = Instant.now();
          return new Wait(system, registry, began.plus(max)).poll(null, began);
        });
  }

  /** Only a node that leaves a cluster with another Up node has anywhere to hand streams to. */
  private static boolean leavingForAnotherNode(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    MemberStatus self = cluster.selfMember().status();
    if (self != MemberStatus.up() && self != MemberStatus.leaving()) {
      return false; // downed or already removed: nothing to wait for
    }
    return ServingMembers.of(cluster).stream().anyMatch(m -> !m.equals(cluster.selfMember()));
  }

  /** What a leaving node had: the keys it ran and the socket slots it held. */
  private record Here(List<StreamKey> keys, List<String> sockets) {
    boolean isEmpty() {
      return keys.isEmpty() && sockets.isEmpty();
    }

    @Override
    public String toString() {
      return keys.stream().map(StreamKey::label).toList() + " " + sockets;
    }
  }

  private static final class Wait {
    private final ActorSystem<?> system;
    private final ActorRef<StreamRegistry.Command> registry;
    private final Instant deadline;
    private final String node;

    Wait(ActorSystem<?> system, ActorRef<StreamRegistry.Command> registry, Instant deadline) {
      this.system = system;
      this.registry = registry;
      this.deadline = deadline;
      this.node = NodeName.of(system);
    }

    /**
     * Asks the registry until every stream and socket slot that was here runs elsewhere; {@code
     * handedOff} is what the registry listed on this node at its first answers.
     */
    CompletionStage<Done> poll(Here handedOff, Instant began) {
      Duration timeout = POLL.multipliedBy(10);
      CompletableFuture<StreamListing> streams =
          AskPattern.<StreamRegistry.Command, StreamListing>ask(
                  registry, StreamRegistry.GetListing::new, timeout, system.scheduler())
              .toCompletableFuture()
              .exceptionally(failure -> null);
      CompletableFuture<UpstreamListing> sockets =
          AskPattern.<StreamRegistry.Command, UpstreamListing>ask(
                  registry, StreamRegistry.GetUpstream::new, timeout, system.scheduler())
              .toCompletableFuture()
              .exceptionally(failure -> null);
      return streams
          .thenCombine(sockets, (listing, upstream) -> next(handedOff, began, listing, upstream))
          .thenCompose(done -> done);
    }

    private CompletionStage<Done> next(
        Here handedOff, Instant began, StreamListing listing, UpstreamListing upstream) {
      boolean answered = listing != null && upstream != null;
      Here here = handedOff != null ? handedOff : answered ? here(listing, upstream) : null;
      Here pending = here == null ? null : answered ? pending(here, listing, upstream) : here;
      long millis = Duration.between(began, Instant.now()).toMillis();
      if (pending != null && pending.isEmpty()) {
        if (!here.isEmpty()) {
          LOG.info(
              "node {} leaving: the {} stream(s) and {} socket(s) it handed over run elsewhere"
                  + " after {} ms",
              node,
              here.keys().size(),
              here.sockets().size(),
              millis);
        }
        return CompletableFuture.completedFuture(Done.done());
      }
      if (Instant.now().isAfter(deadline)) {
        LOG.warn(
            "node {} leaving after {} ms, before {}",
            node,
            millis,
            pending == null ? "the stream registry answered" : "these run elsewhere: " + pending);
        return CompletableFuture.completedFuture(Done.done());
      }
      return Patterns.after(
          POLL,
          system.classicSystem().scheduler(),
          system.executionContext(),
          () -> poll(here, began));
    }

    private Here here(StreamListing listing, UpstreamListing upstream) {
      return new Here(
          listing.streams().stream()
              .filter(s -> s.node().equals(node))
              .map(StreamStatus::key)
              .toList(),
          upstream.sockets().stream()
              .filter(s -> s.status() != null && node.equals(s.status().node()))
              .map(UpstreamListing.Socket::id)
              .toList());
    }

    /**
     * Keys still here, lost, or not yet placed on their new node (a key the registry no longer
     * lists was stopped); sockets still here or not yet connected elsewhere (one that carries
     * nothing any more has nothing to hand over).
     */
    private Here pending(Here here, StreamListing listing, UpstreamListing upstream) {
      List<StreamKey> keys =
          listing.streams().stream()
              .filter(s -> here.keys().contains(s.key()))
              .filter(s -> s.node().equals(node) || !s.state().settled())
              .map(StreamStatus::key)
              .toList();
      List<String> sockets =
          upstream.sockets().stream()
              .filter(s -> here.sockets().contains(s.id()) && s.carried() > 0)
              .filter(
                  s ->
                      s.status() == null
                          || node.equals(s.status().node())
                          || s.status().state() != SocketState.CONNECTED)
              .map(UpstreamListing.Socket::id)
              .toList();
      return new Here(keys, sockets);
    }
  }
}
