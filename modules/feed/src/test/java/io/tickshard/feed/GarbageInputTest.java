package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.MalformedFrame.Kind;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Whatever arrives, the decoder does not throw, and what it reports accounts for every byte of the
 * frame (see {@link FrameAccounting}). Seeded, so every run sees the same inputs.
 */
class GarbageInputTest {

  @Test
  void twentyThousandRandomByteArrays() {
    Random random = new Random(0x7ee_5a4dL);
    FeedDecoder decoder = new FeedDecoder();
    for (int i = 0; i < 20_000; i++) {
      byte[] frame = new byte[random.nextInt(401)];
      random.nextBytes(frame);

      decodeAndAccount(decoder, frame);
    }
    assertThat(decoder.counters().frames()).isEqualTo(20_000);
  }

  /**
   * Random bytes rarely get past the first length field. These frames are strung from plausible
   * headers (known and unknown codes, right and wrong lengths, good and bad segments), so every
   * branch of the decoder is exercised; the test checks that it was.
   */
  @Test
  void twentyThousandFramesOfPlausibleButWrongPackets() {
    Random random = new Random(0x5eed_0002L);
    FeedDecoder decoder = new FeedDecoder();
    Set<Kind> kindsSeen = EnumSet.noneOf(Kind.class);
    long packetsSeen = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] frame = plausibleFrame(random);

      RecordingListener seen = decodeAndAccount(decoder, frame);

      seen.malformed().forEach(m -> kindsSeen.add(m.kind()));
      packetsSeen += seen.packets().size();
    }
    assertThat(kindsSeen)
        .as("every kind of malformed frame came up")
        .isEqualTo(EnumSet.allOf(Kind.class));
    assertThat(packetsSeen).as("good packets came up too").isGreaterThan(1_000);
    assertThat(decoder.counters().skipped()).as("skipped packets came up too").isGreaterThan(1_000);
  }

  private static final int[] CODES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 50, 99, 255};

  private static byte[] plausibleFrame(Random random) {
    if (random.nextInt(50) == 0) {
      return new byte[0];
    }
    LeBytes frame = LeBytes.create();
    int packets = 1 + random.nextInt(6);
    for (int p = 0; p < packets; p++) {
      int code = CODES[random.nextInt(CODES.length)];
      int documented = ResponseCode.lengthOf(code);
      int length =
          switch (random.nextInt(6)) {
            case 0 -> random.nextInt(8); // below the header size
            case 1 -> random.nextInt(200); // anything
            default -> documented > 0 ? documented : 8 + random.nextInt(40);
          };
      int segment = random.nextInt(8) == 0 ? 6 + random.nextInt(250) : random.nextInt(9);
      frame.header(code, length, segment, random.nextInt());
      byte[] body = new byte[Math.max(0, length - 8)];
      random.nextBytes(body);
      frame.raw(body);
    }
    byte[] bytes = frame.build();
    if (random.nextInt(4) == 0) {
      return Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
    }
    return bytes;
  }

  /** Valid frames with their tail cut off or a few bytes flipped. */
  @Property(seed = "20250611", tries = 1_000)
  void mutatedValidFrames(@ForAll("frames") List<FeedPacket> packets, @ForAll Random random) {
    byte[] valid = FeedEncoder.encodeFrame(packets);
    FeedDecoder decoder = new FeedDecoder();
    for (int m = 0; m < 10; m++) {
      byte[] mutated =
          random.nextBoolean()
              ? Arrays.copyOf(valid, random.nextInt(valid.length))
              : flipBytes(valid, 1 + random.nextInt(4), random);

      decodeAndAccount(decoder, mutated);
    }
  }

  /** Cutting a one-packet frame anywhere leaves one malformed report and no packet. */
  @Property(seed = "20250611", tries = 300)
  void everyTruncationOfAPacketIsReportedAndNothingElse(@ForAll("anyPacket") FeedPacket packet) {
    byte[] valid = FeedEncoder.encode(packet);
    for (int cut = 1; cut < valid.length; cut++) {
      RecordingListener seen =
          RecordingListener.decode(new FeedDecoder(), Arrays.copyOf(valid, cut));

      assertThat(seen.events).hasSize(1);
      assertThat(((MalformedFrame) seen.events.get(0)).kind())
          .isEqualTo(cut < 8 ? Kind.SHORT_HEADER : Kind.TRUNCATED);
    }
  }

  /** Bytes after the header are values, never structure: flipping them still gives one packet. */
  @Property(seed = "20250611", tries = 1_000)
  void flippingABodyByteStillGivesOnePacketOfTheSameKind(
      @ForAll("anyPacket") FeedPacket packet, @ForAll Random random) {
    byte[] bytes = FeedEncoder.encode(packet);
    int at = 8 + random.nextInt(bytes.length - 8);
    bytes[at] ^= (byte) (1 + random.nextInt(255));

    RecordingListener seen = RecordingListener.decode(new FeedDecoder(), bytes);

    assertThat(seen.events).hasSize(1);
    assertThat(seen.packets()).hasSize(1);
    FeedPacket decoded = seen.packets().get(0);
    assertThat(decoded.getClass()).isEqualTo(packet.getClass());
    assertThat(decoded).isNotEqualTo(packet);
  }

  private static byte[] flipBytes(byte[] valid, int count, Random random) {
    byte[] copy = valid.clone();
    for (int i = 0; i < count; i++) {
      copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
    }
    return copy;
  }

  private static RecordingListener decodeAndAccount(FeedDecoder decoder, byte[] frame) {
    RecordingListener seen = new RecordingListener();
    long packetsBefore = decoder.counters().packets();
    long skippedBefore = decoder.counters().skipped();
    long malformedBefore = decoder.counters().malformed();

    decoder.decode(frame, seen); // throws nothing, or the test fails here

    FrameAccounting.assertEveryByteAccountedFor(frame, seen.events);
    assertThat(decoder.counters().packets() - packetsBefore).isEqualTo(seen.packets().size());
    assertThat(decoder.counters().skipped() - skippedBefore).isEqualTo(seen.skipped().size());
    assertThat(decoder.counters().malformed() - malformedBefore).isEqualTo(seen.malformed().size());
    return seen;
  }

  @Provide
  Arbitrary<List<FeedPacket>> frames() {
    return PacketArbitraries.frames();
  }

  @Provide
  Arbitrary<FeedPacket> anyPacket() {
    return PacketArbitraries.anyPacket();
  }
}
