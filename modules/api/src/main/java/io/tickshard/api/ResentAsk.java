package io.tickshard.api;

import io.tickshard.streams.entity.StreamEntity;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * An ask of a stream entity that sends its command again, with the same reply address, until an
 * answer comes or the time is up. Sharding drops the messages it buffered for a shard that is
 * handed off (a node joins or leaves, the cluster restarts), and the caller would see a 503 for a
 * rebalance the cluster did by itself. Start, stop and status are idempotent, and every copy
 * answers the same address: the first answer is the call's ("started" stays with it), the others
 * are ignored.
 *
 * <p>The reply address is the ask's own temporary one and the copies a scheduled task: no actor is
 * spawned per call (a start storm makes hundreds of calls at once, and each spawned actor was a
 * child of the system guardian, with two timers of its own).
 */
final class ResentAsk {
  private ResentAsk() {}

  /** A timeout fails the stage with a {@link java.util.concurrent.TimeoutException}. */
  static <R> CompletionStage<R> ask(
      ActorSystem<?> system,
      EntityRef<StreamEntity.Command> entity,
      Function<ActorRef<R>, StreamEntity.Command> command,
      Duration timeout,
      Duration resendAfter) {
    AtomicReference<StreamEntity.Command> sent = new AtomicReference<>();
    CompletionStage<R> answer =
        entity.ask(
            replyTo -> {
              StreamEntity.Command first = command.apply(replyTo);
              sent.set(first);
              return first;
            },
            timeout);
    Cancellable copies =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                resendAfter,
                resendAfter,
                () -> {
                  StreamEntity.Command again = sent.get();
                  if (again != null) {
                    entity.tell(again);
                  }
                },
                system.executionContext());
    answer.whenComplete((reply, failure) -> copies.cancel());
    return answer;
  }
}
