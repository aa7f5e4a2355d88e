package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One hand-built frame per packet type, written field by field as the fact sheet lays it out, and
 * decoded. Every field carries a distinct value so a swapped or shifted field shows.
 */
class PacketFixturesTest {

  private final FeedDecoder decoder = new FeedDecoder();

  /** 2024-06-11 15:29:59 IST, as the broker's IST-shifted epoch. */
  private static final int LTT = 1_718_119_799;

  @Test
  void tickerPacketCarriesLastPriceAndTradeTime() {
    byte[] frame = LeBytes.create().header(2, 16, 1, 1333).f32(1634.55f).i32(LTT).build();
    assertThat(frame).hasSize(16);

    TickerPacket ticker = (TickerPacket) onlyPacket(frame);

    assertThat(ticker.segment()).isEqualTo(ExchangeSegment.NSE_EQ);
    assertThat(ticker.securityId()).isEqualTo(1333);
    assertThat(ticker.lastPrice()).isEqualTo(1634.55f);
    assertThat(ticker.lastTradeTime()).isEqualTo(LTT);
    assertThat(ticker.responseCode()).isEqualTo(ResponseCode.TICKER);
  }

  @Test
  void quotePacketPutsSellQuantityBeforeBuyQuantityAndReadsLtqUnsigned() {
    byte[] frame =
        LeBytes.create()
            .header(4, 50, 2, 55796)
            .f32(152.3f) // 8 LTP
            .i16(65000) // 12 LTQ: above Short.MAX_VALUE, must come back unsigned
            .i32(LTT) // 14 LTT
            .f32(151.85f) // 18 ATP
            .i32(1_234_567) // 22 volume
            .i32(40_000) // 26 total sell qty
            .i32(25_000) // 30 total buy qty
            .f32(150.05f) // 34 open
            .f32(149.9f) // 38 close
            .f32(153.5f) // 42 high
            .f32(-0.25f) // 46 low (negative: a spread contract can trade below zero)
            .build();
    assertThat(frame).hasSize(50);

    QuotePacket quote = (QuotePacket) onlyPacket(frame);

    assertThat(quote.segment()).isEqualTo(ExchangeSegment.NSE_FNO);
    assertThat(quote.securityId()).isEqualTo(55796);
    assertThat(quote.lastPrice()).isEqualTo(152.3f);
    assertThat(quote.lastQuantity()).isEqualTo(65000);
    assertThat(quote.lastTradeTime()).isEqualTo(LTT);
    assertThat(quote.averagePrice()).isEqualTo(151.85f);
    assertThat(quote.volume()).isEqualTo(1_234_567);
    assertThat(quote.totalSellQuantity()).isEqualTo(40_000);
    assertThat(quote.totalBuyQuantity()).isEqualTo(25_000);
    assertThat(quote.open()).isEqualTo(150.05f);
    assertThat(quote.close()).isEqualTo(149.9f);
    assertThat(quote.high()).isEqualTo(153.5f);
    assertThat(quote.low()).isEqualTo(-0.25f);
  }

  @Test
  void oiPacketCarriesOpenInterest() {
    byte[] frame = LeBytes.create().header(5, 12, 2, 55796).i32(1_250_000).build();
    assertThat(frame).hasSize(12);

    OiPacket oi = (OiPacket) onlyPacket(frame);

    assertThat(oi.segment()).isEqualTo(ExchangeSegment.NSE_FNO);
    assertThat(oi.securityId()).isEqualTo(55796);
    assertThat(oi.openInterest()).isEqualTo(1_250_000);
  }

  @Test
  void prevClosePacketCarriesPreviousCloseAndPreviousOi() {
    byte[] frame = LeBytes.create().header(6, 16, 4, 500325).f32(2450.75f).i32(987_654).build();
    assertThat(frame).hasSize(16);

    PrevClosePacket prevClose = (PrevClosePacket) onlyPacket(frame);

    assertThat(prevClose.segment()).isEqualTo(ExchangeSegment.BSE_EQ);
    assertThat(prevClose.securityId()).isEqualTo(500325);
    assertThat(prevClose.previousClose()).isEqualTo(2450.75f);
    assertThat(prevClose.previousOpenInterest()).isEqualTo(987_654);
  }

  /** Five levels, every field different, orders above 32767 to check they read unsigned. */
  private static final List<DepthLevel> DEPTH =
      List.of(
          new DepthLevel(1_100, 2_100, 11, 40_001, 152.25f, 152.35f),
          new DepthLevel(1_200, 2_200, 12, 40_002, 152.20f, 152.40f),
          new DepthLevel(1_300, 2_300, 13, 40_003, 152.15f, 152.45f),
          new DepthLevel(1_400, 2_400, 14, 40_004, 152.10f, 152.50f),
          new DepthLevel(1_500, 2_500, 15, 65_535, 152.05f, 152.55f));

  static byte[] fullFixture() {
    LeBytes bytes =
        LeBytes.create()
            .header(8, 162, 2, 55796)
            .f32(152.3f) // 8 LTP
            .i16(75) // 12 LTQ
            .i32(LTT) // 14 LTT
            .f32(151.85f) // 18 ATP
            .i32(9_876_543) // 22 volume
            .i32(70_000) // 26 total sell qty
            .i32(30_000) // 30 total buy qty
            .i32(5_500_000) // 34 OI
            .i32(5_600_000) // 38 OI day high
            .i32(5_400_000) // 42 OI day low
            .f32(150.05f) // 46 open
            .f32(149.9f) // 50 close
            .f32(153.5f) // 54 high
            .f32(148.75f); // 58 low
    assertThat(bytes.size()).as("depth starts at offset 62").isEqualTo(62);
    for (DepthLevel level : DEPTH) {
      bytes
          .i32(level.bidQuantity())
          .i32(level.askQuantity())
          .i16(level.bidOrders())
          .i16(level.askOrders())
          .f32(level.bidPrice())
          .f32(level.askPrice());
    }
    return bytes.build();
  }

  @Test
  void fullPacketCarriesQuoteFieldsOiOhlcAndFiveDepthLevels() {
    byte[] frame = fullFixture();
    assertThat(frame).hasSize(162);

    FullPacket full = (FullPacket) onlyPacket(frame);

    assertThat(full.segment()).isEqualTo(ExchangeSegment.NSE_FNO);
    assertThat(full.securityId()).isEqualTo(55796);
    assertThat(full.lastPrice()).isEqualTo(152.3f);
    assertThat(full.lastQuantity()).isEqualTo(75);
    assertThat(full.lastTradeTime()).isEqualTo(LTT);
    assertThat(full.averagePrice()).isEqualTo(151.85f);
    assertThat(full.volume()).isEqualTo(9_876_543);
    assertThat(full.totalSellQuantity()).isEqualTo(70_000);
    assertThat(full.totalBuyQuantity()).isEqualTo(30_000);
    assertThat(full.openInterest()).isEqualTo(5_500_000);
    assertThat(full.openInterestDayHigh()).isEqualTo(5_600_000);
    assertThat(full.openInterestDayLow()).isEqualTo(5_400_000);
    assertThat(full.open()).isEqualTo(150.05f);
    assertThat(full.close()).isEqualTo(149.9f);
    assertThat(full.high()).isEqualTo(153.5f);
    assertThat(full.low()).isEqualTo(148.75f);
    assertThat(full.depth()).containsExactlyElementsOf(DEPTH);
  }

  @Test
  void fullPacketReadsItsSixteenBitQuantityUnsigned() {
    byte[] frame = fullFixture();
    frame[12] = (byte) 0xE8; // LTQ = 0xFDE8 = 65000
    frame[13] = (byte) 0xFD;

    assertThat(((FullPacket) onlyPacket(frame)).lastQuantity()).isEqualTo(65000);
  }

  @Test
  void disconnectPacketCarriesItsReasonCode() {
    byte[] frame = LeBytes.create().header(50, 10, 0, 0).i16(807).build();
    assertThat(frame).hasSize(10);

    DisconnectPacket disconnect = (DisconnectPacket) onlyPacket(frame);

    assertThat(disconnect.reasonCode()).isEqualTo(807);
    assertThat(disconnect.reason()).contains(DisconnectReason.ACCESS_TOKEN_EXPIRED);
    assertThat(disconnect.action()).isEqualTo(DisconnectReason.ClientAction.NEW_CREDENTIALS);
  }

  @Test
  void realCapturedFullFrameDecodesToNseFnoSecurity55796() {
    // The header as captured from the broker, then LTP 152.3f (0x43184ccd) and LTQ 75 (0x004b).
    byte[] frame =
        LeBytes.create()
            .raw(LeBytes.hex("08 a2 00 02 f4 d9 00 00"))
            .raw(LeBytes.hex("cd 4c 18 43"))
            .raw(LeBytes.hex("4b 00"))
            .zeros(162 - 14)
            .build();

    FullPacket full = (FullPacket) onlyPacket(frame);

    assertThat(full.responseCode()).isEqualTo(8);
    assertThat(full.segment()).isEqualTo(ExchangeSegment.NSE_FNO);
    assertThat(full.securityId()).isEqualTo(55796);
    assertThat(full.lastPrice()).isEqualTo(152.3f);
    assertThat(full.lastQuantity()).isEqualTo(75);
  }

  @Test
  void encoderWritesExactlyTheHandBuiltBytes() {
    // The simulator speaks through FeedEncoder: it must agree with the fixtures byte for byte.
    FullPacket full = (FullPacket) onlyPacket(fullFixture());
    assertThat(FeedEncoder.encode(full)).isEqualTo(fullFixture());

    byte[] quote =
        LeBytes.create()
            .header(4, 50, 1, 2885)
            .f32(2950.5f)
            .i16(65000)
            .i32(LTT)
            .f32(2948.1f)
            .i32(3_000_000)
            .i32(111)
            .i32(222)
            .f32(2930f)
            .f32(0f)
            .f32(2961.25f)
            .f32(2925.5f)
            .build();
    assertThat(
            FeedEncoder.encode(
                new QuotePacket(
                    ExchangeSegment.NSE_EQ,
                    2885,
                    2950.5f,
                    65000,
                    LTT,
                    2948.1f,
                    3_000_000,
                    111,
                    222,
                    2930f,
                    0f,
                    2961.25f,
                    2925.5f)))
        .isEqualTo(quote);
    assertThat(FeedEncoder.encode(new DisconnectPacket(805)))
        .isEqualTo(LeBytes.create().header(50, 10, 0, 0).i16(805).build());
  }

  @Test
  void aBigEndianBufferIsReadAsLittleEndianAndItsPositionIsLeftAlone() {
    byte[] packet = LeBytes.create().header(5, 12, 2, 55796).i32(1_250_000).build();
    ByteBuffer bigEndian = ByteBuffer.wrap(packet); // the JDK WebSocket hands buffers like this
    assertThat(bigEndian.order()).isEqualTo(ByteOrder.BIG_ENDIAN);

    FeedDecoder.DecodedFrame decoded = decoder.decodeAll(bigEndian);

    assertThat(decoded.packets())
        .containsExactly(new OiPacket(ExchangeSegment.NSE_FNO, 55796, 1_250_000));
    assertThat(bigEndian.position()).isZero();
    assertThat(bigEndian.order()).isEqualTo(ByteOrder.BIG_ENDIAN);
  }

  @Test
  void onlyTheBytesBetweenPositionAndLimitAreAFrame() {
    byte[] packet = LeBytes.create().header(5, 12, 2, 55796).i32(1_250_000).build();
    // Junk on both sides that would be malformed if the decoder looked at it.
    byte[] surrounded = LeBytes.concat(LeBytes.hex("ff ff ff"), packet, LeBytes.hex("01 02"));
    ByteBuffer direct = ByteBuffer.allocateDirect(surrounded.length).order(ByteOrder.LITTLE_ENDIAN);
    direct.put(surrounded).position(3).limit(3 + packet.length);

    FeedDecoder.DecodedFrame decoded = decoder.decodeAll(direct);

    assertThat(decoded.packets())
        .containsExactly(new OiPacket(ExchangeSegment.NSE_FNO, 55796, 1_250_000));
    assertThat(decoded.malformed()).isEmpty();
    assertThat(direct.position()).isEqualTo(3);
  }

  private FeedPacket onlyPacket(byte[] frame) {
    FeedDecoder.DecodedFrame decoded = decoder.decodeAll(frame);
    assertThat(decoded.skipped()).isEmpty();
    assertThat(decoded.malformed()).isEmpty();
    assertThat(decoded.packets()).hasSize(1);
    return decoded.packets().get(0);
  }
}
