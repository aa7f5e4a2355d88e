package io.tickshard.redis.testkit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;

/**
 * What a subscriber of a Redis channel hears, as the old app's re-broadcaster would: every message
 * in arrival order. Lettuce subscribes again by itself after a reconnect.
 */
public final class ChannelMessages implements AutoCloseable {
  private final RedisClient client;
  private final StatefulRedisPubSubConnection<String, String> connection;
  private final List<String> messages = new ArrayList<>();

  public ChannelMessages(String url, String channel) {
    client = RedisClient.create(url);
    connection = client.connectPubSub();
    connection.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String from, String message) {
            synchronized (messages) {
              messages.add(message);
            }
          }
        });
    connection.sync().subscribe(channel);
  }

  public List<String> messages() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  public int count() {
    synchronized (messages) {
      return messages.size();
    }
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
