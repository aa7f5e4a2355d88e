package io.tickshard.api;

import io.tickshard.streams.entity.StreamEntity;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * An ask of a stream entity that sends its command again, with the same reply address, until an
 * answer comes or the time is up. Sharding drops the messages it buffered for a shard that is
 * handed off (a node joins or leaves, the cluster restarts), and the caller would see a 503 for a
 * rebalance the cluster did by itself. Start, stop and status are idempotent, and every copy
 * answers the same address: the first answer is the call's ("started" stays with it), the others
 * are ignored.
 */
final class ResentAsk {
  private ResentAsk() {}

  // Names the per-call collectors; a counter, not a random UUID, on the request path.
  private static final AtomicLong ASKS = new AtomicLong();

  private record Resend() {}

  private record GiveUp() {}

  static <R> CompletionStage<R> ask(
      ActorSystem<?> system,
      EntityRef<StreamEntity.Command> entity,
      Function<ActorRef<R>, StreamEntity.Command> command,
      Class<R> answer,
      Duration timeout,
      Duration resendAfter) {
    CompletableFuture<R> result = new CompletableFuture<>();
    system.systemActorOf(
        collector(entity, command, answer, timeout, resendAfter, result),
        "resent-ask-" + ASKS.incrementAndGet(),
        Props.empty());
    return result;
  }

  private static <R> Behavior<Object> collector(
      EntityRef<StreamEntity.Command> entity,
      Function<ActorRef<R>, StreamEntity.Command> command,
      Class<R> answer,
      Duration timeout,
      Duration resendAfter,
      CompletableFuture<R> result) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  ActorRef<R> replyTo = context.getSelf().narrow();
                  entity.tell(command.apply(replyTo));
                  timers.startSingleTimer(new GiveUp(), timeout);
                  timers.startTimerWithFixedDelay(new Resend(), resendAfter);
                  return Behaviors.receive(Object.class)
                      .onMessage(
                          answer,
                          reply -> {
                            result.complete(reply);
                            return Behaviors.stopped();
                          })
                      .onMessage(
                          Resend.class,
                          resend -> {
                            entity.tell(command.apply(replyTo));
                            return Behaviors.same();
                          })
                      .onMessage(
                          GiveUp.class,
                          giveUp -> {
                            result.completeExceptionally(
                                new TimeoutException("no answer within " + timeout));
                            return Behaviors.stopped();
                          })
                      .build();
                }));
  }
}
