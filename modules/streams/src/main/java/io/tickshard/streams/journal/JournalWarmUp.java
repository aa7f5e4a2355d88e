package io.tickshard.streams.journal;

import io.tickshard.streams.NodeName;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Recovers an event-sourced actor that has no events, once, when a node starts.
 *
 * <p>The journal and snapshot plugins start on the first recovery: connection pool, driver, query
 * compilation. On a fresh JVM on a busy machine that took several seconds, and the first shards to
 * load their remembered entities (the first starts, or every stream after a whole-cluster restart)
 * waited behind it, some past sharding's load timeout. Doing it at start, while the node joins the
 * cluster, takes that wait out of the first requests.
 */
public final class JournalWarmUp
    extends EventSourcedBehavior<JournalWarmUp.Command, JournalWarmUp.Event, JournalWarmUp.State> {
  public interface Command {}

  /** Never persisted: the warm-up only reads. */
  public interface Event {}

  public record State() {}

  private record Stop() implements Command {}

  private final ActorContext<Command> context;
  private final CompletableFuture<Duration> recovered;
  private final long began = System.nanoTime();

  private JournalWarmUp(
      ActorContext<Command> context, String node, CompletableFuture<Duration> recovered) {
    super(PersistenceId.of("tickshard-journal-warm-up", node));
    this.context = context;
    this.recovered = recovered;
  }

  /**
   * Completes with how long the first recovery took, or exceptionally when it failed or took longer
   * than {@code timeout} (the journal is then not reachable; the node still starts).
   */
  public static CompletionStage<Duration> run(ActorSystem<?> system, Duration timeout) {
    CompletableFuture<Duration> recovered = new CompletableFuture<>();
    String node = NodeName.of(system);
    Behavior<Command> behavior =
        Behaviors.setup(context -> new JournalWarmUp(context, node, recovered));
    system.systemActorOf(behavior, "journal-warm-up", Props.empty());
    return recovered.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public State emptyState() {
    return new State();
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Stop.class, stop -> Effect().stop())
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> state);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              recovered.complete(Duration.ofNanos(System.nanoTime() - began));
              context.getSelf().tell(new Stop());
            })
        .onSignal(
            RecoveryFailed.class,
            (state, failed) -> recovered.completeExceptionally(failed.getFailure()))
        .build();
  }
}
