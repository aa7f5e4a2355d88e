package io.tickshard.redis;

import io.tickshard.streams.NodeName;
import io.tickshard.streams.metrics.NodeMetrics;
import io.tickshard.streams.outputs.TickOutputs;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts this node's Redis outputs when {@code tickshard.redis.url} is set: a {@link RedisWriter}
 * fed by every broker socket of the node ({@link TickOutputs}), stopped late in coordinated
 * shutdown, once the sockets have closed, with a short deadline to write what waits.
 */
public final class RedisOutputs {
  private static final Logger log = LoggerFactory.getLogger(RedisOutputs.class);

  /** Within the phase's default timeout (5 s), leaving time to close the client. */
  private static final Duration FLUSH_DEADLINE = Duration.ofSeconds(2);

  private RedisOutputs() {}

  /** The writer, started and registered; none when Redis is not configured. */
  public static Optional<RedisWriter> start(ActorSystem<?> system) {
    Optional<RedisSettings> settings = RedisSettings.fromConfig(system.settings().config());
    if (settings.isEmpty()) {
      log.debug("redis outputs on {}: off (TICKSHARD_REDIS_URL is not set)", NodeName.of(system));
      return Optional.empty();
    }
    RedisWriter writer =
        new RedisWriter(settings.get(), NodeName.of(system), NodeMetrics.get(system).registry());
    writer.start();
    if ("dedicated".equals(system.settings().config().getString("tickshard.upstream.sharing"))) {
      // Each key has a socket of its own: an instrument two keys want arrives twice.
      log.warn(
          "redis outputs on {}: upstream sharing is dedicated, so a tick of an instrument that"
              + " several keys want is published once per key's socket",
          NodeName.of(system));
    }
    TickOutputs.get(system).register(writer);
    CoordinatedShutdown.get(Adapter.toClassic(system))
        .addTask(
            CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
            "redis-outputs",
            () ->
                CompletableFuture.supplyAsync(
                    () -> {
                      writer.stop(FLUSH_DEADLINE);
                      return Done.getInstance();
                    }));
    return Optional.of(writer);
  }
}
