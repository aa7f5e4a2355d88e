package io.tickshard.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.tickshard.streams.outputs.OutputHealth;
import io.tickshard.streams.outputs.TickOutput;
import io.tickshard.streams.ticks.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis outputs of one node: each tick with a price its sockets decode is published on the
 * channel as the old app's message, and its price set under {@code <prefix><SEGMENT>:<id>} with the
 * expiry. The feed threads only {@link #publish} into a bounded queue; one thread of its own writes
 * the queue out in pipelined batches on one connection, so a slow or absent Redis never slows the
 * feed: the queue keeps the newest ticks and counts the ones it drops.
 *
 * <p>The connection rejects commands while it is down and buffers at most one batch, so this queue
 * is the only place ticks wait; Lettuce reconnects by itself, this thread connects the first time
 * (Redis may be absent at start) and whenever the connection was given up.
 */
public final class RedisWriter implements TickOutput {
  private static final Logger log = LoggerFactory.getLogger(RedisWriter.class);
  private static final Duration IDLE_POLL = Duration.ofMillis(100);
  private static final Duration RETRY_MIN = Duration.ofMillis(200);
  private static final Duration RETRY_MAX = Duration.ofSeconds(5);

  private final RedisSettings settings;
  private final String node;
  private final RedisMetrics metrics;
  private final TickQueue queue;
  private final ClientResources resources;
  private final RedisClient client;
  private final SetArgs expiry;
  private final Thread thread;
  private StatefulRedisConnection<String, String> connection;

  private volatile boolean stopping;
  private volatile OutputHealth.State state = OutputHealth.State.DOWN;
  private volatile Instant since = Instant.now();
  // The writer thread's own: what the log lines say.
  private boolean everUp;
  private boolean loggedDown;
  private long droppedWhenLost;

  public RedisWriter(RedisSettings settings, String node, PrometheusRegistry registry) {
    this.settings = settings;
    this.node = node;
    this.metrics =
        new RedisMetrics(registry, this::queueDepth, () -> state == OutputHealth.State.UP);
    this.queue =
        new TickQueue(
            settings.queueCapacity(), () -> metrics.dropped(RedisMetrics.Cause.QUEUE_FULL, 1));
    // Reconnects soon after Redis is back (Lettuce's default waits up to 30 s between tries).
    this.resources =
        ClientResources.builder()
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
            .build();
    this.client = RedisClient.create(resources, settings.endpoint().uri());
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // While down, a command fails at once instead of waiting in Lettuce's buffer: the
            // queue above is the one buffer, bounded and dropping the oldest.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            // One batch in flight (a PUBLISH and a SET per tick), with room for the client's own.
            .requestQueueSize(settings.batchSize() * 2 + 64)
            .socketOptions(
                SocketOptions.builder()
                    .connectTimeout(settings.connectTimeout())
                    .keepAlive(true)
                    .build())
            // A command Redis never answers (a paused server) is cancelled, freeing its place.
            .timeoutOptions(TimeoutOptions.enabled(settings.writeTimeout()))
            .build());
    this.expiry = SetArgs.Builder.ex(settings.expiry());
    this.thread = new Thread(this::run, "tickshard-redis-writer");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  @Override
  public String name() {
    return "redis";
  }

  /** Queues the tick; ticks without a price (OI, previous close) have nothing to publish. */
  @Override
  public void publish(Tick tick) {
    if (tick.ltp() != null && tick.securityId() > 0 && !stopping) {
      queue.offer(tick);
    }
  }

  @Override
  public OutputHealth health() {
    return new OutputHealth(state, since, metrics.droppedTotal());
  }

  int queueDepth() {
    return queue.size();
  }

  /**
   * Writes what waits, for at most {@code deadline} (nothing when Redis is down), then closes the
   * connection. The feed has stopped by then (sockets close before this runs at shutdown).
   */
  public void stop(Duration deadline) {
    stopping = true;
    try {
      thread.join(deadline.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left = queue.size();
    if (left > 0) {
      metrics.dropped(RedisMetrics.Cause.SHUTDOWN, left);
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
    log.info("redis outputs on {}: stopped ({} ticks left unwritten)", node, left);
  }

  private void run() {
    Duration retry = RETRY_MIN;
    try {
      while (true) {
        if (connection == null) {
          if (stopping) {
            return;
          }
          if (!connect()) {
            Thread.sleep(retry.toMillis());
            retry =
                retry.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : retry.multipliedBy(2);
            continue;
          }
          retry = RETRY_MIN;
        }
        if (!connection.isOpen()) {
          down("connection lost");
          if (stopping) {
            return;
          }
          Thread.sleep(IDLE_POLL.toMillis()); // Lettuce reconnects; the queue meanwhile drops
          continue;
        }
        up();
        List<Tick> batch = queue.take(settings.batchSize(), IDLE_POLL);
        if (batch.isEmpty()) {
          if (stopping) {
            return;
          }
          continue;
        }
        write(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (connection != null) {
        connection.close();
      }
    }
  }

  private boolean connect() {
    try {
      connection = client.connect(StringCodec.UTF8);
      // Commands go out when a batch is complete: one write and one round trip per batch.
      connection.setAutoFlushCommands(false);
      return true;
    } catch (RuntimeException e) {
      down("cannot connect: " + Redaction.describe(e, settings));
      return false;
    }
  }

  private void write(List<Tick> batch) {
    RedisAsyncCommands<String, String> commands = connection.async();
    List<RedisFuture<?>> replies = new ArrayList<>(batch.size() * 2);
    for (Tick tick : batch) {
      replies.add(commands.publish(settings.channel(), LtpUpdate.message(tick)));
      replies.add(
          commands.set(
              settings.keyPrefix() + LtpUpdate.instrumentKey(tick),
              LtpUpdate.price(tick.ltp()),
              expiry));
    }
    connection.flushCommands();
    try {
      boolean done =
          LettuceFutures.awaitAll(settings.writeTimeout(), replies.toArray(new RedisFuture<?>[0]));
      if (done) {
        metrics.published.inc(batch.size());
        return;
      }
      down("no answer within " + settings.writeTimeout().toMillis() + " ms");
    } catch (RuntimeException e) {
      // At most once: a batch that failed part way is not sent again (its messages would repeat).
      down(Redaction.describe(e, settings));
    }
    metrics.dropped(RedisMetrics.Cause.WRITE_FAILED, batch.size());
  }

  private void up() {
    if (state == OutputHealth.State.UP) {
      return;
    }
    Instant now = Instant.now();
    if (!everUp) {
      log.info(
          "redis outputs on {}: connected to {}, channel {}, keys {}<SEGMENT>:<id> ({} s)",
          node,
          settings.endpoint(),
          settings.channel(),
          settings.keyPrefix(),
          settings.expiry().toSeconds());
    } else {
      log.info(
          "redis outputs on {}: reconnected to {} after {} ms; {} ticks dropped meanwhile",
          node,
          settings.endpoint(),
          Duration.between(since, now).toMillis(),
          metrics.droppedTotal() - droppedWhenLost);
    }
    everUp = true;
    loggedDown = false;
    since = now;
    state = OutputHealth.State.UP;
  }

  /** Down, logged once per outage (not per failed batch). */
  private void down(String why) {
    if (state == OutputHealth.State.UP) {
      since = Instant.now();
      state = OutputHealth.State.DOWN;
    }
    if (loggedDown) {
      return;
    }
    loggedDown = true;
    droppedWhenLost = metrics.droppedTotal();
    log.warn(
        "redis outputs on {}: {} {} ({}); ticks wait in a queue of {}, the oldest dropped",
        node,
        everUp ? "lost" : "cannot reach",
        settings.endpoint(),
        why,
        settings.queueCapacity());
  }
}
