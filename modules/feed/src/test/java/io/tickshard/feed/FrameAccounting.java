package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;

/**
 * Checks that what the decoder reported for a frame covers the frame exactly: walking its events in
 * order, each starts where the previous one ended, each is consistent with the header bytes found
 * there, and together they end at the frame's last byte.
 */
final class FrameAccounting {
  private FrameAccounting() {}

  static void assertEveryByteAccountedFor(byte[] frame, List<Object> events) {
    if (frame.length == 0) {
      assertThat(events).hasSize(1);
      assertThat(((MalformedFrame) events.get(0)).kind())
          .isEqualTo(MalformedFrame.Kind.EMPTY_FRAME);
      return;
    }
    int at = 0;
    for (int i = 0; i < events.size(); i++) {
      Object event = events.get(i);
      assertThat(at).as("event %d (%s) starts inside the frame", i, event).isLessThan(frame.length);
      if (event instanceof FeedPacket packet) {
        int length = ResponseCode.lengthOf(packet.responseCode());
        assertThat(code(frame, at)).isEqualTo(packet.responseCode());
        assertThat(lengthField(frame, at)).isEqualTo(length);
        assertBytesAreThePacket(Arrays.copyOfRange(frame, at, at + length), packet);
        at += length;
      } else if (event instanceof SkippedPacket skipped) {
        assertThat(code(frame, at)).isEqualTo(skipped.responseCode());
        assertThat(ResponseCode.lengthOf(skipped.responseCode()))
            .as("only undocumented codes are skipped")
            .isEqualTo(-1);
        assertThat(skipped.length()).isEqualTo(lengthField(frame, at)).isGreaterThanOrEqualTo(8);
        assertThat(skipped.segmentCode()).isEqualTo(frame[at + 3] & 0xFF);
        at += skipped.length();
      } else if (event instanceof MalformedFrame malformed) {
        assertThat(malformed.offset()).isEqualTo(at);
        assertThat(malformed.frameLength()).isEqualTo(frame.length);
        int left = frame.length - at;
        switch (malformed.kind()) {
          case SHORT_HEADER -> {
            assertThat(left).isLessThan(8);
            assertThat(malformed.responseCode()).isEqualTo(-1);
            at = frame.length;
          }
          case BAD_LENGTH -> {
            assertThat(lengthField(frame, at)).isLessThan(8);
            assertThat(malformed.responseCode()).isEqualTo(code(frame, at));
            at = frame.length;
          }
          case TRUNCATED -> {
            assertThat(lengthField(frame, at)).isGreaterThan(left);
            assertThat(malformed.responseCode()).isEqualTo(code(frame, at));
            at = frame.length;
          }
          case WRONG_LENGTH -> {
            int code = code(frame, at);
            assertThat(malformed.responseCode()).isEqualTo(code);
            assertThat(ResponseCode.lengthOf(code))
                .isPositive()
                .isNotEqualTo(lengthField(frame, at));
            at += lengthField(frame, at);
          }
          case UNKNOWN_SEGMENT -> {
            assertThat(malformed.responseCode()).isEqualTo(code(frame, at));
            assertThat(ExchangeSegment.fromCodeOrNull(frame[at + 3] & 0xFF)).isNull();
            at += lengthField(frame, at);
          }
          case EMPTY_FRAME -> fail("a frame of %d bytes is not empty", frame.length);
        }
      } else {
        fail("unexpected event %s", event);
      }
    }
    assertThat(at).as("events cover the whole frame").isEqualTo(frame.length);
  }

  /**
   * The decoded packet, written again, gives back the bytes it came from: every field was read from
   * its own place. The disconnect packet's segment and id bytes mean nothing and are not read.
   */
  private static void assertBytesAreThePacket(byte[] bytes, FeedPacket packet) {
    byte[] again = FeedEncoder.encode(packet);
    if (packet instanceof DisconnectPacket) {
      Arrays.fill(bytes, 3, 8, (byte) 0);
    }
    assertThat(again).isEqualTo(bytes);
  }

  private static int code(byte[] frame, int at) {
    return frame[at] & 0xFF;
  }

  private static int lengthField(byte[] frame, int at) {
    return (frame[at + 1] & 0xFF) | (frame[at + 2] & 0xFF) << 8;
  }
}
