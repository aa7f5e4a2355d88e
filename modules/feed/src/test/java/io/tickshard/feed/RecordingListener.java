package io.tickshard.feed;

import java.util.ArrayList;
import java.util.List;

/** Records every callback of one or more decodes, in the order the decoder made them. */
final class RecordingListener implements FrameListener {
  /** {@link FeedPacket}, {@link SkippedPacket} and {@link MalformedFrame} values, interleaved. */
  final List<Object> events = new ArrayList<>();

  static RecordingListener decode(FeedDecoder decoder, byte[] frame) {
    RecordingListener listener = new RecordingListener();
    decoder.decode(frame, listener);
    return listener;
  }

  @Override
  public void onPacket(FeedPacket packet) {
    events.add(packet);
  }

  @Override
  public void onSkipped(SkippedPacket skipped) {
    events.add(skipped);
  }

  @Override
  public void onMalformed(MalformedFrame malformed) {
    events.add(malformed);
  }

  List<FeedPacket> packets() {
    return only(FeedPacket.class);
  }

  List<SkippedPacket> skipped() {
    return only(SkippedPacket.class);
  }

  List<MalformedFrame> malformed() {
    return only(MalformedFrame.class);
  }

  private <T> List<T> only(Class<T> type) {
    List<T> found = new ArrayList<>();
    for (Object event : events) {
      if (type.isInstance(event)) {
        found.add(type.cast(event));
      }
    }
    return found;
  }
}
