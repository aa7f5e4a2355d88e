package io.tickshard.streams.outputs;

import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.upstream.TickSink;
import java.util.Arrays;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * This node's optional side outputs of ticks ({@link TickOutput}), registered by the service at
 * start (the Redis outputs, when configured). Every broker socket's connection on this node feeds
 * them through {@link #alongside}, after the keys' routes. None registered: the feed does what it
 * did, at the cost of one volatile read per tick.
 */
public final class TickOutputs implements Extension {

  private static final ExtensionId<TickOutputs> ID =
      new ExtensionId<>() {
        @Override
        public TickOutputs createExtension(ActorSystem<?> system) {
          return new TickOutputs();
        }
      };

  public static TickOutputs get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** Swapped whole on a registration: the feed threads read it without a lock. */
  private volatile TickOutput[] outputs = new TickOutput[0];

  private TickOutputs() {}

  /** From now on every socket of this node feeds {@code output} too. */
  public synchronized void register(TickOutput output) {
    TickOutput[] next = Arrays.copyOf(outputs, outputs.length + 1);
    next[outputs.length] = output;
    outputs = next;
  }

  /** The registered output named {@code name}, if any. */
  public Optional<TickOutput> named(String name) {
    return Arrays.stream(outputs).filter(o -> o.name().equals(name)).findFirst();
  }

  /** A sink that feeds {@code routes} (the keys) and then every registered output. */
  public TickSink alongside(TickSink routes) {
    return new TickSink() {
      @Override
      public void publish(Tick tick) {
        routes.publish(tick);
        for (TickOutput output : outputs) {
          output.publish(tick);
        }
      }

      @Override
      public void flush() {
        routes.flush();
        for (TickOutput output : outputs) {
          output.flush();
        }
      }
    };
  }
}
