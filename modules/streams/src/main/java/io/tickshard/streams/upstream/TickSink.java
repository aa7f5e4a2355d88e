package io.tickshard.streams.upstream;

import io.tickshard.streams.ticks.Tick;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;

/**
 * Where a {@link FeedConnection} puts each decoded tick: a stream's own socket publishes to its
 * key's topic; a shared socket, to each key that needs the instrument, in that key's mode. Called
 * on the connection's actor thread.
 */
@FunctionalInterface
public interface TickSink {
  void publish(Tick tick);

  /** Every tick to one topic. */
  static TickSink topic(ActorRef<Topic.Command<Tick>> topic) {
    return tick -> topic.tell(Topic.publish(tick));
  }
}
