package io.tickshard.feed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fixture builder is the ruler every other test measures with: check it is little-endian. */
class LeBytesTest {

  @Test
  void writesEachFieldLowByteFirst() {
    byte[] bytes =
        LeBytes.create()
            .u8(0xAB)
            .i16(0x0201)
            .i32(0x06050403)
            .f32(Float.intBitsToFloat(0x0A090807))
            .build();

    assertThat(bytes).containsExactly(0xAB, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
  }

  @Test
  void headerIsCodeLengthSegmentId() {
    assertThat(LeBytes.create().header(8, 162, 2, 55796).build())
        .isEqualTo(LeBytes.hex("08 a2 00 02 f4 d9 00 00"));
  }
}
