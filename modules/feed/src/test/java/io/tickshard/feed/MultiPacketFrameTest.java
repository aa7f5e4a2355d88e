package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Frames that carry more than one packet, including packets the decoder can only step over. */
class MultiPacketFrameTest {

  private final FeedDecoder decoder = new FeedDecoder();

  private static final byte[] QUOTE =
      LeBytes.create()
          .header(4, 50, 2, 55796)
          .f32(152.3f)
          .i16(75)
          .i32(1_718_119_799)
          .f32(151.85f)
          .i32(1_000)
          .i32(400)
          .i32(600)
          .f32(150f)
          .f32(0f)
          .f32(153f)
          .f32(149f)
          .build();
  private static final byte[] OI = LeBytes.create().header(5, 12, 2, 55796).i32(1_250_000).build();
  private static final byte[] PREV_CLOSE =
      LeBytes.create().header(6, 16, 2, 55796).f32(148.6f).i32(1_200_000).build();

  private static final QuotePacket QUOTE_PACKET =
      new QuotePacket(
          ExchangeSegment.NSE_FNO,
          55796,
          152.3f,
          75,
          1_718_119_799,
          151.85f,
          1_000,
          400,
          600,
          150f,
          0f,
          153f,
          149f);
  private static final OiPacket OI_PACKET = new OiPacket(ExchangeSegment.NSE_FNO, 55796, 1_250_000);
  private static final PrevClosePacket PREV_CLOSE_PACKET =
      new PrevClosePacket(ExchangeSegment.NSE_FNO, 55796, 148.6f, 1_200_000);

  @Test
  void quoteOiAndPrevCloseInOneFrameAllDecodeInOrder() {
    byte[] frame = LeBytes.concat(QUOTE, OI, PREV_CLOSE);

    RecordingListener seen = RecordingListener.decode(decoder, frame);

    assertThat(seen.events).containsExactly(QUOTE_PACKET, OI_PACKET, PREV_CLOSE_PACKET);
    assertThat(decoder.counters().frames()).isEqualTo(1);
    assertThat(decoder.counters().packets()).isEqualTo(3);
  }

  @Test
  void indexMarketStatusAndUnknownCodesAreSkippedByLengthAndWhatFollowsStillDecodes() {
    byte[] index = LeBytes.create().header(1, 8 + 12, 0, 13).f32(23_500.5f).zeros(8).build();
    byte[] marketStatus = LeBytes.create().header(7, 8, 0, 0).build();
    byte[] unknown =
        LeBytes.create().header(99, 8 + 5, 1, 42).raw(LeBytes.hex("de ad be ef 00")).build();
    byte[] frame = LeBytes.concat(index, QUOTE, marketStatus, OI, unknown, PREV_CLOSE);

    RecordingListener seen = RecordingListener.decode(decoder, frame);

    assertThat(seen.events)
        .containsExactly(
            new SkippedPacket(1, 0, 13, 20),
            QUOTE_PACKET,
            new SkippedPacket(7, 0, 0, 8),
            OI_PACKET,
            new SkippedPacket(99, 1, 42, 13),
            PREV_CLOSE_PACKET);

    DecodeCounters counters = decoder.counters();
    assertThat(counters.frames()).isEqualTo(1);
    assertThat(counters.packets()).isEqualTo(3);
    assertThat(counters.skipped()).isEqualTo(3);
    assertThat(counters.malformed()).isZero();
    assertThat(counters.withResponseCode(1)).isEqualTo(1);
    assertThat(counters.withResponseCode(7)).isEqualTo(1);
    assertThat(counters.withResponseCode(99)).isEqualTo(1);
    assertThat(counters.withResponseCode(4)).isEqualTo(1);
    assertThat(counters.withResponseCode(5)).isEqualTo(1);
    assertThat(counters.withResponseCode(6)).isEqualTo(1);
    assertThat(counters.withResponseCode(8)).isZero();
  }

  @Test
  void countersAddUpAcrossFrames() {
    byte[] marketStatus = LeBytes.create().header(7, 8, 0, 0).build();

    decoder.decode(QUOTE, new RecordingListener());
    decoder.decode(LeBytes.concat(OI, marketStatus), new RecordingListener());
    decoder.decode(new byte[0], new RecordingListener());
    decoder.decode(LeBytes.concat(QUOTE, QUOTE), new RecordingListener());

    DecodeCounters counters = decoder.counters();
    assertThat(counters.frames()).isEqualTo(4);
    assertThat(counters.packets()).isEqualTo(4);
    assertThat(counters.withResponseCode(4)).isEqualTo(3);
    assertThat(counters.skipped()).isEqualTo(1);
    assertThat(counters.malformed(MalformedFrame.Kind.EMPTY_FRAME)).isEqualTo(1);
    assertThat(counters.withResponseCode(-1)).isZero();
    assertThat(counters.withResponseCode(256)).isZero();
  }

  @Test
  void disconnectAfterMarketDataInTheSameFrameIsDelivered() {
    byte[] disconnect = LeBytes.create().header(50, 10, 0, 0).i16(805).build();

    RecordingListener seen = RecordingListener.decode(decoder, LeBytes.concat(OI, disconnect));

    assertThat(seen.events).containsExactly(OI_PACKET, new DisconnectPacket(805));
  }
}
