package io.tickshard.feed;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * Builds test fixtures byte by byte, little-endian, field by field, without going through {@link
 * FeedEncoder}: the fixtures are an independent statement of the wire format.
 */
final class LeBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static LeBytes create() {
    return new LeBytes();
  }

  /** Bytes written as hex, spaces allowed, for example {@code "08 a2 00 02"}. */
  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  static byte[] concat(byte[]... parts) {
    LeBytes all = create();
    for (byte[] part : parts) {
      all.raw(part);
    }
    return all.build();
  }

  /** The 8-byte header: response code u8, length i16, segment u8, security id i32. */
  LeBytes header(int responseCode, int length, int segmentCode, int securityId) {
    return u8(responseCode).i16(length).u8(segmentCode).i32(securityId);
  }

  LeBytes u8(int value) {
    out.write(value & 0xFF);
    return this;
  }

  LeBytes i16(int value) {
    out.write(value & 0xFF);
    out.write((value >>> 8) & 0xFF);
    return this;
  }

  LeBytes i32(int value) {
    out.write(value & 0xFF);
    out.write((value >>> 8) & 0xFF);
    out.write((value >>> 16) & 0xFF);
    out.write((value >>> 24) & 0xFF);
    return this;
  }

  LeBytes f32(float value) {
    return i32(Float.floatToRawIntBits(value));
  }

  LeBytes raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  LeBytes zeros(int count) {
    return raw(new byte[count]);
  }

  int size() {
    return out.size();
  }

  byte[] build() {
    return out.toByteArray();
  }
}
