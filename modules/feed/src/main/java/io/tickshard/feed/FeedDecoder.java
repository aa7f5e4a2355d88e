package io.tickshard.feed;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the broker's binary frames. A frame may hold several packets: the decoder walks it by
 * each packet's length field. It never throws on bad input; it reports {@link MalformedFrame}s and
 * counts everything in {@link #counters()}.
 *
 * <p>One decoder per connection: it keeps counters and is not thread-safe.
 */
public final class FeedDecoder {
  private final DecodeCounters counters = new DecodeCounters();

  public DecodeCounters counters() {
    return counters;
  }

  /** Decodes {@code frame} from its position to its limit; the buffer's position is not moved. */
  public void decode(ByteBuffer frame, FrameListener listener) {
    ByteBuffer in =
        frame.order() == ByteOrder.LITTLE_ENDIAN
            ? frame
            : frame.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int start = in.position();
    int end = in.limit();
    int frameLength = end - start;
    counters.frame();
    if (frameLength == 0) {
      malformed(listener, MalformedFrame.Kind.EMPTY_FRAME, "empty frame", 0, 0, -1);
      return;
    }
    int at = start;
    while (at < end) {
      int left = end - at;
      int offset = at - start;
      if (left < ResponseCode.HEADER_LENGTH) {
        malformed(
            listener,
            MalformedFrame.Kind.SHORT_HEADER,
            left + " bytes left, a header needs 8",
            offset,
            frameLength,
            -1);
        return;
      }
      int code = in.get(at) & 0xFF;
      int length = in.getShort(at + 1) & 0xFFFF;
      if (length < ResponseCode.HEADER_LENGTH) {
        malformed(
            listener,
            MalformedFrame.Kind.BAD_LENGTH,
            "length field " + length + " is shorter than the header",
            offset,
            frameLength,
            code);
        return;
      }
      if (length > left) {
        malformed(
            listener,
            MalformedFrame.Kind.TRUNCATED,
            "length field " + length + " but only " + left + " bytes left",
            offset,
            frameLength,
            code);
        return;
      }
      decodePacket(in, at, code, length, offset, frameLength, listener);
      at += length;
    }
  }

  public void decode(byte[] frame, FrameListener listener) {
    decode(ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN), listener);
  }

  /** Everything in one frame, collected; convenient off the hot path. */
  public DecodedFrame decodeAll(ByteBuffer frame) {
    DecodedFrame decoded =
        new DecodedFrame(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    decode(
        frame,
        new FrameListener() {
          @Override
          public void onPacket(FeedPacket packet) {
            decoded.packets().add(packet);
          }

          @Override
          public void onSkipped(SkippedPacket skipped) {
            decoded.skipped().add(skipped);
          }

          @Override
          public void onMalformed(MalformedFrame malformed) {
            decoded.malformed().add(malformed);
          }
        });
    return decoded;
  }

  public DecodedFrame decodeAll(byte[] frame) {
    return decodeAll(ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN));
  }

  /** What one frame held. */
  public record DecodedFrame(
      List<FeedPacket> packets, List<SkippedPacket> skipped, List<MalformedFrame> malformed) {}

  private void decodePacket(
      ByteBuffer in,
      int at,
      int code,
      int length,
      int offset,
      int frameLength,
      FrameListener listener) {
    int expected = ResponseCode.lengthOf(code);
    if (expected < 0) {
      counters.skipped(code);
      listener.onSkipped(new SkippedPacket(code, in.get(at + 3) & 0xFF, in.getInt(at + 4), length));
      return;
    }
    if (length != expected) {
      malformed(
          listener,
          MalformedFrame.Kind.WRONG_LENGTH,
          "response code " + code + " must be " + expected + " bytes, length field says " + length,
          offset,
          frameLength,
          code);
      return;
    }
    if (code == ResponseCode.DISCONNECT) {
      counters.packet(code);
      listener.onPacket(new DisconnectPacket(in.getShort(at + 8) & 0xFFFF));
      return;
    }
    int segmentCode = in.get(at + 3) & 0xFF;
    ExchangeSegment segment = ExchangeSegment.fromCodeOrNull(segmentCode);
    if (segment == null) {
      malformed(
          listener,
          MalformedFrame.Kind.UNKNOWN_SEGMENT,
          "unknown exchange segment code " + segmentCode,
          offset,
          frameLength,
          code);
      return;
    }
    int securityId = in.getInt(at + 4);
    counters.packet(code);
    listener.onPacket(
        switch (code) {
          case ResponseCode.TICKER ->
              new TickerPacket(segment, securityId, in.getFloat(at + 8), in.getInt(at + 12));
          case ResponseCode.QUOTE -> quote(in, at, segment, securityId);
          case ResponseCode.OI -> new OiPacket(segment, securityId, in.getInt(at + 8));
          case ResponseCode.PREV_CLOSE ->
              new PrevClosePacket(segment, securityId, in.getFloat(at + 8), in.getInt(at + 12));
          case ResponseCode.FULL -> full(in, at, segment, securityId);
          default -> throw new IllegalStateException("no layout for response code " + code);
        });
  }

  private static QuotePacket quote(ByteBuffer in, int at, ExchangeSegment segment, int id) {
    return new QuotePacket(
        segment,
        id,
        in.getFloat(at + 8),
        in.getShort(at + 12) & 0xFFFF,
        in.getInt(at + 14),
        in.getFloat(at + 18),
        in.getInt(at + 22),
        in.getInt(at + 26),
        in.getInt(at + 30),
        in.getFloat(at + 34),
        in.getFloat(at + 38),
        in.getFloat(at + 42),
        in.getFloat(at + 46));
  }

  private static FullPacket full(ByteBuffer in, int at, ExchangeSegment segment, int id) {
    DepthLevel[] depth = new DepthLevel[ResponseCode.DEPTH_LEVELS];
    for (int level = 0; level < depth.length; level++) {
      int d = at + 62 + level * ResponseCode.DEPTH_LEVEL_LENGTH;
      depth[level] =
          new DepthLevel(
              in.getInt(d),
              in.getInt(d + 4),
              in.getShort(d + 8) & 0xFFFF,
              in.getShort(d + 10) & 0xFFFF,
              in.getFloat(d + 12),
              in.getFloat(d + 16));
    }
    return new FullPacket(
        segment,
        id,
        in.getFloat(at + 8),
        in.getShort(at + 12) & 0xFFFF,
        in.getInt(at + 14),
        in.getFloat(at + 18),
        in.getInt(at + 22),
        in.getInt(at + 26),
        in.getInt(at + 30),
        in.getInt(at + 34),
        in.getInt(at + 38),
        in.getInt(at + 42),
        in.getFloat(at + 46),
        in.getFloat(at + 50),
        in.getFloat(at + 54),
        in.getFloat(at + 58),
        List.of(depth));
  }

  private void malformed(
      FrameListener listener,
      MalformedFrame.Kind kind,
      String reason,
      int offset,
      int frameLength,
      int code) {
    counters.countMalformed(kind);
    listener.onMalformed(new MalformedFrame(kind, reason, offset, frameLength, code));
  }
}
