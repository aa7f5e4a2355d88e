package io.tickshard.redis;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Optional;

/**
 * What the Redis outputs write where ({@code tickshard.redis}), read once at start.
 *
 * @param endpoint the server, with its credentials (never logged: see {@link RedisEndpoint})
 * @param channel the channel every tick is published on
 * @param keyPrefix the latest price of {@code SEGMENT:id} is kept under this prefix
 * @param expiry how long a price key lives after its last tick
 * @param queueCapacity ticks that may wait for Redis on this node before the oldest drop
 * @param batchSize ticks per pipelined round trip
 * @param writeTimeout how long a batch may take before it counts as failed
 * @param connectTimeout how long Redis may take to accept a connection
 */
public record RedisSettings(
    RedisEndpoint endpoint,
    String channel,
    String keyPrefix,
    Duration expiry,
    int queueCapacity,
    int batchSize,
    Duration writeTimeout,
    Duration connectTimeout) {

  public RedisSettings {
    if (channel.isBlank()) {
      throw new IllegalArgumentException("tickshard.redis.channel must not be empty");
    }
    if (expiry.toSeconds() < 1) {
      throw new IllegalArgumentException("tickshard.redis.expiry must be at least 1s");
    }
    if (queueCapacity < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "tickshard.redis.queue-capacity and batch-size must be at least 1");
    }
  }

  /** The settings, or none when {@code tickshard.redis.url} is empty (Redis is off). */
  public static Optional<RedisSettings> fromConfig(Config config) {
    Config redis = config.getConfig("tickshard.redis");
    String url = redis.getString("url").trim();
    if (url.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new RedisSettings(
            RedisEndpoint.parse(url),
            redis.getString("channel"),
            redis.getString("key-prefix"),
            redis.getDuration("expiry"),
            redis.getInt("queue-capacity"),
            redis.getInt("batch-size"),
            redis.getDuration("write-timeout"),
            redis.getDuration("connect-timeout")));
  }

  /** These settings with another queue capacity. */
  public RedisSettings withQueueCapacity(int capacity) {
    return new RedisSettings(
        endpoint, channel, keyPrefix, expiry, capacity, batchSize, writeTimeout, connectTimeout);
  }
}
