package io.tickshard.streams.node;

import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.sharing.RegistryLink;
import io.tickshard.streams.sharing.SocketWire;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** The socket slots' link to the registry: through this node's proxy of the singleton. */
final class SocketsToRegistry implements RegistryLink {
  private final ActorRef<StreamRegistry.Command> registry;
  private final ActorSystem<?> system;

  SocketsToRegistry(ActorRef<StreamRegistry.Command> registry, ActorSystem<?> system) {
    this.registry = registry;
    this.system = system;
  }

  @Override
  public CompletionStage<SocketWire.Table> table(int slot, Duration timeout) {
    return AskPattern.ask(
        registry,
        replyTo -> new StreamRegistry.GetTable(slot, replyTo),
        timeout,
        system.scheduler());
  }

  @Override
  public void report(Report report) {
    registry.tell(new StreamRegistry.SocketReported(report));
  }

  @Override
  public void figures(String socket, List<KeyFigures> keys) {
    registry.tell(new StreamRegistry.TickFigures(socket, keys));
  }
}
