package io.tickshard.feed;

/** Running counts of one decoder: frames, packets per response code, skipped and malformed. */
public final class DecodeCounters {
  private long frames;
  private long packets;
  private long skipped;
  private final long[] byResponseCode = new long[256];
  private final long[] byMalformedKind = new long[MalformedFrame.Kind.values().length];

  void frame() {
    frames++;
  }

  void packet(int responseCode) {
    packets++;
    byResponseCode[responseCode]++;
  }

  void skipped(int responseCode) {
    skipped++;
    byResponseCode[responseCode]++;
  }

  void countMalformed(MalformedFrame.Kind kind) {
    byMalformedKind[kind.ordinal()]++;
  }

  public long frames() {
    return frames;
  }

  /** Packets decoded into a {@link FeedPacket}. */
  public long packets() {
    return packets;
  }

  /** Packets stepped over by length (index, market status, unknown codes). */
  public long skipped() {
    return skipped;
  }

  /** Decoded plus skipped packets that carried this response code. */
  public long withResponseCode(int responseCode) {
    return responseCode >= 0 && responseCode < byResponseCode.length
        ? byResponseCode[responseCode]
        : 0;
  }

  public long malformed(MalformedFrame.Kind kind) {
    return byMalformedKind[kind.ordinal()];
  }

  public long malformed() {
    long total = 0;
    for (long count : byMalformedKind) {
      total += count;
    }
    return total;
  }
}
