package io.tickshard.streams.ticks;

import io.tickshard.streams.StreamKey;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The pub-sub topic a stream's ticks are published on. The socket slots that carry its instruments
 * publish, a {@link TickBatch} per broker message; any node that serves viewers spawns the same
 * topic locally and subscribes.
 */
public final class TickTopic {
  private TickTopic() {}

  public static String name(StreamKey key) {
    return "ticks:" + key.entityId();
  }

  public static Behavior<Topic.Command<TickBatch>> create(StreamKey key) {
    return Topic.create(TickBatch.class, name(key));
  }
}
