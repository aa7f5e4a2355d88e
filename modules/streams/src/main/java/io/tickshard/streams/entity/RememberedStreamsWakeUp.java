package io.tickshard.streams.entity;

import com.typesafe.config.Config;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.entity.StreamEntity.StreamStarted;
import io.tickshard.streams.journal.StartedStreams;
import io.tickshard.streams.registry.StreamRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Once a new registry's view is complete (it starts this as its {@code StreamWakeUp}): every stream
 * whose journal says "started" but that did not report is woken through sharding, so that a start
 * acknowledged to its caller comes back after any restart even when remember-entities lost its
 * record of it (see {@link StartedStreams}). Waking one that runs already changes nothing.
 */
public final class RememberedStreamsWakeUp {
  private RememberedStreamsWakeUp() {}

  private static final Duration RETRY = Duration.ofSeconds(5);
  private static final int ATTEMPTS = 12;

  private record Read(List<String> entityIds, Throwable failure) {}

  private record Retry() {}

  /**
   * Reads the journal, wakes the streams not in {@code reported} (entity ids), tells {@code
   * replyTo} which streams the journal says are started, and stops.
   */
  public static Behavior<Object> create(
      Set<String> reported, ActorRef<StreamRegistry.StartedInJournal> replyTo) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  String node = NodeName.of(context.getSystem());
                  // Read here, on the actor's thread; the query runs on the blocking pool.
                  Config config = context.getSystem().settings().config();
                  Executor blocking =
                      context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
                  int[] attempt = {0};
                  Runnable read =
                      () ->
                          context.pipeToSelf(
                              CompletableFuture.supplyAsync(
                                  () -> {
                                    try {
                                      return StartedStreams.entityIds(
                                          config,
                                          StreamEntity.PERSISTENCE_ID_PREFIX,
                                          StreamStarted.class,
                                          FromRootPackage.oldName(StreamStarted.class));
                                    } catch (Exception e) {
                                      // The class only: a driver's message may name the URL.
                                      throw new IllegalStateException(e.getClass().getSimpleName());
                                    }
                                  },
                                  blocking),
                              Read::new);
                  read.run();
                  return Behaviors.receive(Object.class)
                      .onMessage(
                          Read.class,
                          done -> {
                            if (done.failure() != null) {
                              if (++attempt[0] >= ATTEMPTS) {
                                context
                                    .getLog()
                                    .warn(
                                        "stream registry on {}: could not read the started streams"
                                            + " from the journal; remember-entities alone brings"
                                            + " them back",
                                        node);
                                return Behaviors.stopped();
                              }
                              timers.startSingleTimer(new Retry(), RETRY);
                              return Behaviors.same();
                            }
                            replyTo.tell(
                                new StreamRegistry.StartedInJournal(Set.copyOf(done.entityIds())));
                            List<String> missing =
                                done.entityIds().stream()
                                    .filter(id -> !reported.contains(id))
                                    .toList();
                            ClusterSharding sharding = ClusterSharding.get(context.getSystem());
                            for (String id : missing) {
                              sharding
                                  .entityRefFor(StreamEntity.TYPE_KEY, id)
                                  .tell(
                                      new StreamEntity.SendStatusNow(
                                          context.getSystem().ignoreRef()));
                            }
                            context
                                .getLog()
                                .info(
                                    "stream registry on {}: {} started streams in the journal, {}"
                                        + " had not reported and were woken",
                                    node,
                                    done.entityIds().size(),
                                    missing.size());
                            return Behaviors.stopped();
                          })
                      .onMessage(
                          Retry.class,
                          retry -> {
                            read.run();
                            return Behaviors.same();
                          })
                      .build();
                }));
  }
}
