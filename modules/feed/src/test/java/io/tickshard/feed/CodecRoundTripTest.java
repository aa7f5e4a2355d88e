package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the encoder writes, the decoder reads back unchanged: per packet type, and for frames of
 * several packets. Fixed seeds keep every run the same.
 */
class CodecRoundTripTest {

  private static final String SEED = "20250611";

  @Property(seed = SEED)
  void tickerRoundTrips(@ForAll("tickers") TickerPacket packet) {
    assertRoundTrip(packet);
  }

  @Property(seed = SEED)
  void quoteRoundTrips(@ForAll("quotes") QuotePacket packet) {
    assertRoundTrip(packet);
  }

  @Property(seed = SEED)
  void oiRoundTrips(@ForAll("ois") OiPacket packet) {
    assertRoundTrip(packet);
  }

  @Property(seed = SEED)
  void prevCloseRoundTrips(@ForAll("prevCloses") PrevClosePacket packet) {
    assertRoundTrip(packet);
  }

  @Property(seed = SEED)
  void fullRoundTrips(@ForAll("fulls") FullPacket packet) {
    assertRoundTrip(packet);
  }

  @Property(seed = SEED)
  void disconnectRoundTrips(@ForAll("disconnects") DisconnectPacket packet) {
    assertRoundTrip(packet);
  }

  @Property(seed = SEED)
  void encodedHeaderIsCodeLengthSegmentAndIdLittleEndian(@ForAll("anyPacket") FeedPacket packet) {
    byte[] bytes = FeedEncoder.encode(packet);

    int length = ResponseCode.lengthOf(packet.responseCode());
    assertThat(bytes).hasSize(length);
    byte[] header = Arrays.copyOf(bytes, ResponseCode.HEADER_LENGTH);
    if (packet instanceof MarketPacket market) {
      assertThat(header)
          .isEqualTo(
              LeBytes.create()
                  .header(
                      packet.responseCode(), length, market.segment().code(), market.securityId())
                  .build());
    } else {
      assertThat(header).isEqualTo(LeBytes.create().header(50, 10, 0, 0).build());
    }
  }

  @Property(seed = SEED, tries = 500)
  void aFrameOfSeveralPacketsDecodesToTheSameListInOrder(
      @ForAll("frames") List<FeedPacket> packets) {
    byte[] frame = FeedEncoder.encodeFrame(packets);
    FeedDecoder decoder = new FeedDecoder();

    RecordingListener seen = RecordingListener.decode(decoder, frame);

    assertThat(seen.events).containsExactlyElementsOf(packets);
    assertThat(decoder.counters().packets()).isEqualTo(packets.size());
  }

  @Property(seed = SEED, tries = 300)
  void theSameFrameDecodesAlikeFromABigEndianBufferAndFromADirectSlice(
      @ForAll("frames") List<FeedPacket> packets) {
    byte[] frame = FeedEncoder.encodeFrame(packets);

    ByteBuffer bigEndian = ByteBuffer.wrap(frame);
    ByteBuffer direct = ByteBuffer.allocateDirect(frame.length + 7).order(ByteOrder.LITTLE_ENDIAN);
    direct.position(7);
    direct.put(frame).flip().position(7);
    FeedDecoder decoder = new FeedDecoder();

    assertThat(decoder.decodeAll(bigEndian).packets()).containsExactlyElementsOf(packets);
    assertThat(decoder.decodeAll(direct).packets()).containsExactlyElementsOf(packets);
  }

  private void assertRoundTrip(FeedPacket packet) {
    RecordingListener seen =
        RecordingListener.decode(new FeedDecoder(), FeedEncoder.encode(packet));

    assertThat(seen.events).containsExactly(packet);
  }

  @Provide
  Arbitrary<TickerPacket> tickers() {
    return PacketArbitraries.tickers();
  }

  @Provide
  Arbitrary<QuotePacket> quotes() {
    return PacketArbitraries.quotes();
  }

  @Provide
  Arbitrary<OiPacket> ois() {
    return PacketArbitraries.ois();
  }

  @Provide
  Arbitrary<PrevClosePacket> prevCloses() {
    return PacketArbitraries.prevCloses();
  }

  @Provide
  Arbitrary<FullPacket> fulls() {
    return PacketArbitraries.fulls();
  }

  @Provide
  Arbitrary<DisconnectPacket> disconnects() {
    return PacketArbitraries.disconnects();
  }

  @Provide
  Arbitrary<FeedPacket> anyPacket() {
    return PacketArbitraries.anyPacket();
  }

  @Provide
  Arbitrary<List<FeedPacket>> frames() {
    return PacketArbitraries.frames();
  }
}
