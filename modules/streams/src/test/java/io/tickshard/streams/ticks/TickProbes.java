package io.tickshard.streams.ticks;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Probes of a key's topic as tests read it: the ticks of each batch, one by one, in order. */
public final class TickProbes {
  private TickProbes() {}

  /** A subscriber for a key's topic that hands {@code probe} each tick of each batch. */
  public static ActorRef<TickBatch> oneByOne(ActorTestKit kit, ActorRef<Tick> probe) {
    return kit.spawn(
        Behaviors.receiveMessage(
            batch -> {
              batch.ticks().forEach(probe::tell);
              return Behaviors.same();
            }));
  }
}
