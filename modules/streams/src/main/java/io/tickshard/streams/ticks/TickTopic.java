package io.tickshard.streams.ticks;

import io.tickshard.streams.StreamKey;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * The pub-sub topic a stream's ticks are published on. The socket slots that carry its instruments
 * publish; any node that serves viewers spawns the same topic locally and subscribes.
 */
public final class TickTopic {
  private TickTopic() {}

  public static String name(StreamKey key) {
    return "ticks:" + key.entityId();
  }

  public static Behavior<Topic.Command<Tick>> create(StreamKey key) {
    return Topic.create(Tick.class, name(key));
  }
}
