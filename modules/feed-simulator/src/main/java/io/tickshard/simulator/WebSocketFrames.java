package io.tickshard.simulator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.apache.pekko.util.ByteString;

/**
 * The server side of RFC 6455 framing.
 *
 * <p>Why not pekko-http's WebSocket support: it answers pings and swallows pongs inside the engine,
 * and cannot reset a socket. The broker pings every 10 s, drops clients that stop ponging, and is
 * seen resetting sockets after a failed auth; the simulator has to do all three, so it owns the
 * framing.
 */
final class WebSocketFrames {
  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  static final int CLOSE_NORMAL = 1000;
  static final int CLOSE_GOING_AWAY = 1001;
  static final int CLOSE_PROTOCOL_ERROR = 1002;
  static final int CLOSE_TOO_BIG = 1009;

  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private WebSocketFrames() {}

  /** One frame read from a client. {@code payload} is already unmasked. */
  record Frame(boolean fin, int opcode, ByteString payload) {}

  /** Why a client's bytes cannot be framed; the connection is closed with {@code closeCode}. */
  static final class ProtocolViolation extends Exception {
    final int closeCode;

    ProtocolViolation(int closeCode, String message) {
      super(message, null, false, false);
      this.closeCode = closeCode;
    }
  }

  /** The {@code Sec-WebSocket-Accept} value for a client's key. */
  static String acceptKey(String clientKey) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((clientKey.trim() + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  /** How many bytes the next frame needs in all, or -1 when even its header is incomplete. */
  static long frameLength(ByteString buffer) {
    if (buffer.size() < 2) {
      return -1;
    }
    int b1 = buffer.apply(1) & 0xFF;
    int len7 = b1 & 0x7F;
    int header = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((b1 & 0x80) != 0 ? 4 : 0);
    if (buffer.size() < header) {
      return -1;
    }
    return header + payloadLength(buffer, len7);
  }

  private static long payloadLength(ByteString buffer, int len7) {
    if (len7 == 126) {
      return ((buffer.apply(2) & 0xFF) << 8) | (buffer.apply(3) & 0xFF);
    }
    if (len7 == 127) {
      long length = 0;
      for (int i = 2; i < 10; i++) {
        length = (length << 8) | (buffer.apply(i) & 0xFF);
      }
      return length;
    }
    return len7;
  }

  /**
   * Reads one complete frame from the start of {@code buffer}, which holds at least {@link
   * #frameLength} bytes.
   */
  static Frame read(ByteString buffer) throws ProtocolViolation {
    int b0 = buffer.apply(0) & 0xFF;
    int b1 = buffer.apply(1) & 0xFF;
    if ((b0 & 0x70) != 0) {
      throw new ProtocolViolation(CLOSE_PROTOCOL_ERROR, "reserved bits set");
    }
    if ((b1 & 0x80) == 0) {
      throw new ProtocolViolation(CLOSE_PROTOCOL_ERROR, "client frames must be masked");
    }
    int len7 = b1 & 0x7F;
    int maskAt = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0);
    int length = (int) payloadLength(buffer, len7);
    byte[] mask = buffer.slice(maskAt, maskAt + 4).toArray();
    byte[] payload = buffer.slice(maskAt + 4, maskAt + 4 + length).toArray();
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i & 3];
    }
    int opcode = b0 & 0x0F;
    boolean fin = (b0 & 0x80) != 0;
    if (opcode >= CLOSE && (!fin || length > 125)) {
      throw new ProtocolViolation(CLOSE_PROTOCOL_ERROR, "bad control frame");
    }
    return new Frame(fin, opcode, ByteString.fromArrayUnsafe(payload));
  }

  /** A whole, unmasked server frame. */
  static ByteString frame(int opcode, byte[] payload) {
    int length = payload.length;
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuffer out = ByteBuffer.allocate(header + length).order(ByteOrder.BIG_ENDIAN);
    out.put((byte) (0x80 | opcode));
    if (length < 126) {
      out.put((byte) length);
    } else if (length <= 0xFFFF) {
      out.put((byte) 126).putShort((short) length);
    } else {
      out.put((byte) 127).putLong(length);
    }
    out.put(payload);
    return ByteString.fromArrayUnsafe(out.array());
  }

  static ByteString close(int code, String reason) {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(2 + Math.min(text.length, 123));
    payload.putShort((short) code).put(text, 0, payload.remaining());
    return frame(CLOSE, payload.array());
  }

  /** The status code a close frame carries, or {@code CLOSE_NORMAL} when it carries none. */
  static int closeCode(ByteString payload) {
    return payload.size() >= 2
        ? ((payload.apply(0) & 0xFF) << 8) | (payload.apply(1) & 0xFF)
        : CLOSE_NORMAL;
  }
}
