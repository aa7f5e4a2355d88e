package io.tickshard.feed;

/**
 * Receives what {@link FeedDecoder} finds in a frame, in order. Callbacks avoid a list per frame on
 * the hot path.
 */
public interface FrameListener {
  void onPacket(FeedPacket packet);

  default void onSkipped(SkippedPacket skipped) {}

  default void onMalformed(MalformedFrame malformed) {}
}
