package io.tickshard.streams.ticks;

import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.StreamState;
import java.time.Instant;

/**
 * A stream's feed changed how it stands: a new state (also the first one on another node, after the
 * stream moved), or its stop, which is the last word a viewer gets. Sent to every node on {@link
 * StreamNotices}; each node's {@link ViewerTopics} hands it to that key's viewers there.
 *
 * @param entityId the stream key's entity id
 * @param node where the stream runs, or ran ({@code host:port})
 * @param reason why, when there is one: the last upstream problem, why it stopped
 */
public record FeedNotice(String entityId, StreamState state, String node, String reason, Instant at)
    implements ViewerEvent, CborSerializable {

  /** The stream stopped: no more ticks will come. */
  public boolean stopped() {
    return state == StreamState.STOPPED;
  }
}
