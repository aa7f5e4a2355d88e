package io.tickshard.streams;

import io.tickshard.feed.FeedMode;

/** What a start asks for: the key, and the mode its instruments are subscribed in. */
public record StreamSpec(StreamKey key, FeedMode mode) implements CborSerializable {
  public StreamSpec {
    if (key == null || mode == null) {
      throw new IllegalArgumentException("a stream spec needs a key and a mode");
    }
  }
}
