package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.MalformedFrame.Kind;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad input is reported, counted and stepped over; it never throws and never loops. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MalformedFrameTest {

  private final FeedDecoder decoder = new FeedDecoder();

  private static final byte[] OI = LeBytes.create().header(5, 12, 2, 55796).i32(1_250_000).build();
  private static final OiPacket OI_PACKET = new OiPacket(ExchangeSegment.NSE_FNO, 55796, 1_250_000);

  @Test
  void anEmptyFrameIsReported() {
    RecordingListener seen = RecordingListener.decode(decoder, new byte[0]);

    assertThat(seen.events)
        .containsExactly(new MalformedFrame(Kind.EMPTY_FRAME, "empty frame", 0, 0, -1));
    assertThat(decoder.counters().malformed(Kind.EMPTY_FRAME)).isEqualTo(1);
  }

  @Test
  void fewerThanEightBytesIsAShortHeader() {
    RecordingListener seen = RecordingListener.decode(decoder, LeBytes.hex("04 32 00 02 f4"));

    MalformedFrame malformed = onlyMalformed(seen);
    assertThat(malformed.kind()).isEqualTo(Kind.SHORT_HEADER);
    assertThat(malformed.offset()).isZero();
    assertThat(malformed.frameLength()).isEqualTo(5);
    assertThat(malformed.responseCode()).isEqualTo(-1);
    assertThat(malformed.reason()).contains("5 bytes left");
  }

  @Test
  void trailingBytesAfterAGoodPacketAreAShortHeaderAtTheirOffset() {
    RecordingListener seen =
        RecordingListener.decode(decoder, LeBytes.concat(OI, LeBytes.hex("04 32 00")));

    assertThat(seen.packets()).containsExactly(OI_PACKET);
    MalformedFrame malformed = onlyMalformed(seen);
    assertThat(malformed.kind()).isEqualTo(Kind.SHORT_HEADER);
    assertThat(malformed.offset()).isEqualTo(12);
    assertThat(malformed.frameLength()).isEqualTo(15);
  }

  @Test
  void aLengthFieldShorterThanTheHeaderStopsTheFrame() {
    // Length 4 cannot be stepped over safely: whatever follows, even a good packet, is dropped.
    byte[] frame = LeBytes.concat(LeBytes.create().header(4, 4, 2, 55796).build(), OI);

    RecordingListener seen = RecordingListener.decode(decoder, frame);

    MalformedFrame malformed = onlyMalformed(seen);
    assertThat(malformed.kind()).isEqualTo(Kind.BAD_LENGTH);
    assertThat(malformed.responseCode()).isEqualTo(4);
    assertThat(malformed.reason()).contains("length field 4");
    assertThat(seen.packets()).isEmpty();
    assertThat(decoder.counters().malformed(Kind.BAD_LENGTH)).isEqualTo(1);
  }

  @Test
  void aZeroLengthFieldDoesNotLoopForever() {
    byte[] frame = LeBytes.create().header(99, 0, 0, 0).zeros(100).build();

    RecordingListener seen = RecordingListener.decode(decoder, frame);

    assertThat(onlyMalformed(seen).kind()).isEqualTo(Kind.BAD_LENGTH);
  }

  @Test
  void aLengthFieldPastTheEndIsTruncated() {
    byte[] halfAQuote = LeBytes.create().header(4, 50, 2, 55796).zeros(22).build();

    RecordingListener seen = RecordingListener.decode(decoder, LeBytes.concat(OI, halfAQuote));

    assertThat(seen.packets()).containsExactly(OI_PACKET);
    MalformedFrame malformed = onlyMalformed(seen);
    assertThat(malformed.kind()).isEqualTo(Kind.TRUNCATED);
    assertThat(malformed.offset()).isEqualTo(12);
    assertThat(malformed.frameLength()).isEqualTo(12 + 30);
    assertThat(malformed.responseCode()).isEqualTo(4);
    assertThat(malformed.reason()).contains("length field 50 but only 30 bytes left");
  }

  @Test
  void aLengthAboveShortMaxIsReadUnsignedAndIsTruncatedNotBad() {
    // 0xFFFF must not be taken as -1 (which would be BAD_LENGTH) but as 65535 bytes.
    byte[] frame = LeBytes.create().header(1, 0xFFFF, 0, 0).zeros(20).build();

    assertThat(onlyMalformed(RecordingListener.decode(decoder, frame)).kind())
        .isEqualTo(Kind.TRUNCATED);
  }

  @Test
  void aKnownCodeWithTheWrongLengthIsSkippedByItsLengthAndTheNextPacketDecodes() {
    // A ticker that claims 20 bytes instead of 16.
    byte[] longTicker = LeBytes.create().header(2, 20, 1, 1333).f32(1634.55f).i32(0).i32(0).build();

    RecordingListener seen = RecordingListener.decode(decoder, LeBytes.concat(longTicker, OI));

    assertThat(seen.events).hasSize(2);
    MalformedFrame malformed = (MalformedFrame) seen.events.get(0);
    assertThat(malformed.kind()).isEqualTo(Kind.WRONG_LENGTH);
    assertThat(malformed.responseCode()).isEqualTo(2);
    assertThat(malformed.offset()).isZero();
    assertThat(malformed.reason()).contains("must be 16").contains("says 20");
    assertThat(seen.events.get(1)).isEqualTo(OI_PACKET);
    assertThat(decoder.counters().malformed(Kind.WRONG_LENGTH)).isEqualTo(1);
    assertThat(decoder.counters().packets()).isEqualTo(1);
  }

  @Test
  void aShortFullPacketIsWrongLengthNotAHalfReadPacket() {
    byte[] shortFull = LeBytes.create().header(8, 62, 2, 55796).zeros(54).build();

    RecordingListener seen = RecordingListener.decode(decoder, LeBytes.concat(shortFull, OI));

    assertThat(seen.malformed())
        .extracting(MalformedFrame::kind)
        .containsExactly(Kind.WRONG_LENGTH);
    assertThat(seen.packets()).containsExactly(OI_PACKET);
  }

  @Test
  void segmentCodeSixDoesNotExistSoThePacketIsSkippedAndTheNextDecodes() {
    byte[] segmentSix = LeBytes.create().header(5, 12, 6, 55796).i32(7).build();

    RecordingListener seen = RecordingListener.decode(decoder, LeBytes.concat(segmentSix, OI));

    assertThat(seen.events).hasSize(2);
    MalformedFrame malformed = (MalformedFrame) seen.events.get(0);
    assertThat(malformed.kind()).isEqualTo(Kind.UNKNOWN_SEGMENT);
    assertThat(malformed.responseCode()).isEqualTo(5);
    assertThat(malformed.reason()).contains("6");
    assertThat(seen.events.get(1)).isEqualTo(OI_PACKET);
    assertThat(decoder.counters().malformed(Kind.UNKNOWN_SEGMENT)).isEqualTo(1);
  }

  @Test
  void segmentCodesAboveTheTableAreUnknownToo() {
    for (int segment : new int[] {9, 0x7F, 0xFF}) {
      byte[] frame = LeBytes.create().header(5, 12, segment, 1).i32(7).build();

      assertThat(onlyMalformed(RecordingListener.decode(new FeedDecoder(), frame)).kind())
          .as("segment %d", segment)
          .isEqualTo(Kind.UNKNOWN_SEGMENT);
    }
  }

  @Test
  void malformedPacketsAreNotCountedAsPackets() {
    byte[] longTicker = LeBytes.create().header(2, 20, 1, 1333).zeros(12).build();
    byte[] segmentSix = LeBytes.create().header(5, 12, 6, 55796).i32(7).build();
    byte[] truncated = LeBytes.create().header(4, 50, 2, 1).build();

    decoder.decode(LeBytes.concat(longTicker, segmentSix, OI, truncated), new RecordingListener());

    DecodeCounters counters = decoder.counters();
    assertThat(counters.packets()).isEqualTo(1);
    assertThat(counters.skipped()).isZero();
    assertThat(counters.malformed()).isEqualTo(3);
    assertThat(counters.malformed(Kind.WRONG_LENGTH)).isEqualTo(1);
    assertThat(counters.malformed(Kind.UNKNOWN_SEGMENT)).isEqualTo(1);
    assertThat(counters.malformed(Kind.TRUNCATED)).isEqualTo(1);
  }

  private static MalformedFrame onlyMalformed(RecordingListener seen) {
    assertThat(seen.malformed()).hasSize(1);
    return seen.malformed().get(0);
  }
}
