package io.tickshard.streams.ticks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.MarketPacket;
import io.tickshard.feed.OiPacket;
import io.tickshard.feed.TickerPacket;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class TickSerializerTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static List<Tick> everyKind() {
    List<MarketPacket> packets =
        List.of(
            new TickerPacket(ExchangeSegment.NSE_EQ, 2885, 1402.5f, TickTest.RAW_LTT),
            TickTest.quote(ExchangeSegment.NSE_EQ, 2885, 1402.5f),
            new OiPacket(ExchangeSegment.NSE_FNO, 55796, 123_456),
            TickTest.prevClose(ExchangeSegment.IDX_I, 13, 24_000.5f),
            TickTest.fullPacket());
    return packets.stream().map(p -> Tick.from(p, TickTest.RECEIVED)).toList();
  }

  @Test
  void ticks_are_bound_to_it_and_come_back_equal_from_every_packet_kind() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system());
    for (Tick tick : everyKind()) {
      var serializer = serialization.findSerializerFor(tick);
      assertThat(serializer).isInstanceOf(TickSerializer.class);
      byte[] bytes = serialization.serialize(tick).get();
      Object back =
          serialization
              .deserialize(
                  bytes, serializer.identifier(), Serializers.manifestFor(serializer, tick))
              .get();
      assertThat(back).isEqualTo(tick);
    }
  }

  @Test
  void a_batch_of_every_kind_is_bound_to_it_and_comes_back_equal_in_order() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system());
    TickBatch batch = new TickBatch(everyKind());
    var serializer = serialization.findSerializerFor(batch);
    assertThat(serializer).isInstanceOf(TickSerializer.class);
    byte[] bytes = serialization.serialize(batch).get();
    Object back =
        serialization
            .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, batch))
            .get();
    assertThat(back).isEqualTo(batch);
  }

  @Test
  void a_batch_whose_count_does_not_fit_its_bytes_is_refused() {
    TickSerializer serializer = new TickSerializer(null);
    TickBatch batch = new TickBatch(everyKind());
    byte[] bytes = serializer.toBinary(batch);
    bytes[1] = 0x7f; // the count's high byte: more ticks than bytes
    assertThatThrownBy(() -> serializer.fromBinary(bytes, serializer.manifest(batch)))
        .isInstanceOf(NotSerializableException.class);
    byte[] none = serializer.toBinary(batch);
    none[1] = none[2] = none[3] = none[4] = 0;
    assertThatThrownBy(() -> serializer.fromBinary(none, serializer.manifest(batch)))
        .isInstanceOf(NotSerializableException.class);
  }

  @Test
  void a_conflated_tick_with_merged_fields_comes_back_equal_and_smaller_than_cbor()
      throws Exception {
    Tick full = Tick.from(TickTest.fullPacket(), TickTest.RECEIVED);
    Tick merged =
        Tick.from(new OiPacket(ExchangeSegment.NSE_FNO, 55796, 9), TickTest.RECEIVED).over(full);
    TickSerializer serializer = new TickSerializer(null);
    byte[] bytes = serializer.toBinary(merged);
    assertThat(serializer.fromBinary(bytes, serializer.manifest(merged))).isEqualTo(merged);
    // What carried ticks before: the jackson-cbor binding of the other messages.
    byte[] cbor =
        SerializationExtension.get(testKit.system())
            .serializerFor(FeedNotice.class)
            .toBinary(merged);
    assertThat(bytes.length).isLessThan(cbor.length / 2);
  }

  @Test
  void an_unknown_format_or_manifest_is_refused() {
    TickSerializer serializer = new TickSerializer(null);
    byte[] bytes = serializer.toBinary(everyKind().get(0));
    bytes[0] = 9;
    assertThatThrownBy(() -> serializer.fromBinary(bytes, "tick"))
        .isInstanceOf(NotSerializableException.class);
    assertThatThrownBy(() -> serializer.fromBinary(bytes, "other"))
        .isInstanceOf(NotSerializableException.class);
  }

  @Test
  void a_tick_with_a_field_this_version_does_not_know_is_refused_not_misread() {
    TickSerializer serializer = new TickSerializer(null);
    byte[] bytes = serializer.toBinary(everyKind().get(0));
    // format, segment (2 + 6), kind (2 + 6), security id: then the field mask
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int maskAt = 1 + 2 + "NSE_EQ".length() + 2 + "ticker".length() + 4;
    buffer.putInt(maskAt, buffer.getInt(maskAt) | 1 << 20);
    assertThatThrownBy(() -> serializer.fromBinary(bytes, "tick"))
        .isInstanceOf(NotSerializableException.class)
        .hasMessageContaining("does not know");
  }
}
