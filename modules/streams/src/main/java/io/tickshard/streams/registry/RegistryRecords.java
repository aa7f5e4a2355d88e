package io.tickshard.streams.registry;

import io.tickshard.streams.LogFields;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * What the registry knows and answers the same way whether it is rebuilding or serving: the
 * streams' reports ({@link StreamView}) and the entities it watches, the sockets' reports, the
 * listings, and the health check's rounds. Part of the {@link StreamRegistry} actor, on its thread.
 */
final class RegistryRecords {
  private final ActorContext<StreamRegistry.Command> context;
  private final AccountSockets sockets;
  private final HealthRounds health;
  private final Instant since;
  private final StreamView<ActorRef<?>> view = new StreamView<>();

  /** Watched entity → the key it last reported or asked for. */
  private final Map<ActorRef<?>, StreamKey> watched = new HashMap<>();

  RegistryRecords(
      ActorContext<StreamRegistry.Command> context,
      AccountSockets sockets,
      HealthRounds health,
      Instant since) {
    this.context = context;
    this.sockets = sockets;
    this.health = health;
    this.since = since;
  }

  StreamView<ActorRef<?>> view() {
    return view;
  }

  /** What is answered and kept the same way in either state; {@code complete} says which. */
  BehaviorBuilder<StreamRegistry.Command> answering(boolean complete) {
    return Behaviors.receive(StreamRegistry.Command.class)
        .onMessage(StreamRegistry.Deregister.class, this::onDeregister)
        .onSignal(Terminated.class, this::onTerminated)
        .onMessage(
            StreamRegistry.GetListing.class,
            get -> {
              List<StreamStatus> all = view.listing();
              get.replyTo()
                  .tell(new StreamListing(all, view.perNode(), all.size(), complete, since));
              return Behaviors.same();
            })
        .onMessage(
            StreamRegistry.ResolveId.class,
            resolve -> {
              resolve
                  .replyTo()
                  .tell(
                      new StreamRegistry.ResolvedId(
                          resolve.id(), view.resolve(resolve.id()).orElse(null)));
              return Behaviors.same();
            })
        .onMessage(
            StreamRegistry.GetStreamCounts.class,
            get -> {
              get.replyTo().tell(new StreamRegistry.StreamCounts(view.countsOn(get.node())));
              return Behaviors.same();
            })
        .onMessage(
            StreamRegistry.GetHealth.class,
            get -> {
              get.replyTo().tell(health.report(view, sockets.holding(), complete));
              return Behaviors.same();
            })
        .onMessage(
            StreamRegistry.CheckHealthNow.class,
            now -> {
              health.checkNow(view, sockets, complete);
              now.replyTo().tell(health.report(view, sockets.holding(), complete));
              return Behaviors.same();
            })
        .onMessage(
            StreamRegistry.RunHealthCheck.class,
            run -> {
              health.run(view, sockets, complete);
              return Behaviors.same();
            })
        .onMessage(
            StreamRegistry.TickFigures.class,
            reported -> {
              Map<StreamKey, StreamView.KeyFigures> byKey = new HashMap<>();
              reported
                  .keys()
                  .forEach(
                      f ->
                          byKey.put(f.key(), new StreamView.KeyFigures(f.ticks(), f.lastTickAt())));
              view.figures(reported.source(), byKey);
              return Behaviors.same();
            })
        .onMessage(
            StreamRegistry.SocketReported.class,
            reported -> {
              sockets.reported(reported.report(), complete, Instant.now());
              return Behaviors.same();
            })
        .onMessage(
            StreamRegistry.GetUpstream.class,
            get -> {
              get.replyTo().tell(sockets.listing(complete));
              return Behaviors.same();
            })
        .onMessage(
            StreamRegistry.ExpireSurplus.class,
            expire -> {
              sockets.expire(Instant.now());
              return Behaviors.same();
            });
  }

  Behavior<StreamRegistry.Command> onStatusUpdate(StreamRegistry.StatusUpdate report) {
    view.reported(report.status(), report.entity(), Instant.now());
    watch(report.status().key(), report.entity());
    return Behaviors.same();
  }

  private Behavior<StreamRegistry.Command> onDeregister(StreamRegistry.Deregister deregister) {
    forget(deregister.key());
    return Behaviors.same();
  }

  /** The stream stopped: out of the view, its entity unwatched, its instruments released. */
  void forget(StreamKey key) {
    view.remove(key)
        .ifPresent(
            removed -> {
              if (watched.remove(removed.entity()) != null) {
                context.unwatch(removed.entity());
              }
            });
    sockets.release(key, Instant.now());
  }

  /**
   * Watches an entity once, whatever it reports or asks for: a second {@code watchWith} of the same
   * actor with another message would throw.
   */
  void watch(StreamKey key, ActorRef<?> entity) {
    if (watched.put(entity, key) == null) {
      context.watch(entity);
    }
  }

  private Behavior<StreamRegistry.Command> onTerminated(Terminated terminated) {
    StreamKey key = watched.remove(terminated.getRef());
    if (key == null) {
      sockets.gone(terminated.getRef());
      return Behaviors.same();
    }
    if (!view.knows(key)) {
      // Placed, then gone before its first report (its caller gave up on the answer): nothing
      // runs for it.
      sockets.release(key, Instant.now());
      return Behaviors.same();
    }
    view.lost(
            key, terminated.getRef(), "its node left or stopped; waiting for it to start elsewhere")
        .ifPresent(
            last ->
                // Its placement stays: it comes back (remembered) and its instruments are still
                // carried.
                LogFields.log(
                    key,
                    last.node(),
                    () ->
                        context
                            .getLog()
                            .info(
                                "stream {} on {}: lost, its instruments kept until it is back",
                                key.label(),
                                last.node())));
    return Behaviors.same();
  }
}
