package io.tickshard.api;

import io.tickshard.streams.NodeName;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The node's shutdown as its tick viewers hear it. Once the port is unbound (so a reconnect cannot
 * land here again), every viewer's stream ends with a {@code leaving} event and a {@code retry:}
 * hint: EventSource reconnects after it, through a load balancer to another node, and gets a
 * snapshot there. A viewer whose connection cannot take even that event (it stopped reading) holds
 * the shutdown up for the phase's timeout at most, and is cut two phases later.
 */
final class ViewersLeaving {

  /** The {@code leaving} event's data. */
  record Leaving(String reason, String node, Instant at) {}

  private static final long MIN_RETRY_MS = 100;

  /** The shutdown phase (tickshard-api's reference.conf: after the unbind, before termination). */
  static final String PHASE = "tickshard-viewers-leaving";

  private static final Duration CHECK_EVERY = Duration.ofMillis(20);

  private final CompletableFuture<String> data = new CompletableFuture<>();
  private final SharedKillSwitch cut = KillSwitches.shared("tick-viewers");
  private final long maxRetryMs;

  /**
   * @param open the viewers whose streams have not ended yet
   */
  ViewersLeaving(ActorSystem<?> system, Duration maxRetry, IntSupplier open) {
    this.maxRetryMs = Math.max(MIN_RETRY_MS, maxRetry.toMillis());
    String node = NodeName.of(system);
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    // Before pekko-http terminates the connections (service-requests-done), which cuts a stream
    // mid-way: the phase waits until every viewer's stream has ended with its notice.
    Duration allowed = Duration.ofMillis(shutdown.timeout(PHASE).toMillis() - 500);
    shutdown.addTask(
        PHASE,
        "tell-tick-viewers-leaving",
        () -> {
          data.complete(ApiJson.write(new Leaving("node shutting down", node, Instant.now())));
          return ended(system, open, System.nanoTime() + allowed.toNanos());
        });
    shutdown.addTask(
        CoordinatedShutdown.PhaseServiceStop(),
        "end-tick-viewers",
        () -> {
          cut.shutdown();
          return CompletableFuture.completedFuture(Done.getInstance());
        });
  }

  /** Completes when no viewer is open, or at {@code deadline} (those left are cut later). */
  private static CompletionStage<Done> ended(
      ActorSystem<?> system, IntSupplier open, long deadline) {
    CompletableFuture<Done> ended = new CompletableFuture<>();
    Runnable[] check = new Runnable[1];
    check[0] =
        () -> {
          if (open.getAsInt() == 0 || System.nanoTime() >= deadline) {
            ended.complete(Done.getInstance());
          } else {
            system.scheduler().scheduleOnce(CHECK_EVERY, check[0], system.executionContext());
          }
        };
    check[0].run();
    return ended;
  }

  /** A viewer's chunks, ended by the {@code leaving} event when the node shuts down. */
  Source<ByteString, NotUsed> endingWith(Source<ByteString, NotUsed> chunks) {
    ByteString[] notice = new ByteString[1];
    Source<ByteString, NotUsed> leaving =
        Source.completionStage(data)
            .map(json -> notice[0] = event(json))
            // Never done by itself: the viewer's stream ends with the notice, or before it.
            .concat(Source.never());
    return chunks.merge(leaving, true).takeWhile(chunk -> chunk != notice[0], true).via(cut.flow());
  }

  private ByteString event(String json) {
    long retry = ThreadLocalRandom.current().nextLong(MIN_RETRY_MS, maxRetryMs + 1);
    return ByteString.fromString("event: leaving\nretry: " + retry + "\ndata: " + json + "\n\n");
  }
}
