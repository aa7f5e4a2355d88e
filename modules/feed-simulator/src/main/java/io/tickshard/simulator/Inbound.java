package io.tickshard.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.pekko.util.ByteString;

/**
 * What a client has sent, as its session reads it: first the HTTP head, then WebSocket frames,
 * joined into messages by {@link MessageAssembly}. Plain state of one session; what to do with what
 * it reads is the session's.
 */
final class Inbound {
  static final int MAX_HEAD_BYTES = 16 * 1024;
  static final int MAX_FRAME_BYTES = 1024 * 1024;

  /** What reading the head found. */
  sealed interface Head {}

  /** Not all of it yet. */
  record HeadPending() implements Head {}

  /** More than {@link #MAX_HEAD_BYTES} and no end: 431. */
  record HeadTooLarge() implements Head {}

  /** Read: {@code head} is empty when it did not parse (400). */
  record HeadRead(Optional<HttpHead> head) implements Head {}

  /** What the next frame means. */
  sealed interface Read {}

  /** Answered with a pong of the same payload. */
  record Ping(ByteString payload) implements Read {}

  record Pong() implements Read {}

  /** The client closes, with this close code. */
  record Closed(int code) implements Read {}

  /** A whole message (text or binary). */
  record Message(int opcode, ByteString payload) implements Read {}

  /** A fragment of a message still being joined. */
  record Fragment() implements Read {}

  /** The client broke the protocol: close with this code and reason. */
  record Broken(int code, String reason) implements Read {}

  private final MessageAssembly assembly = new MessageAssembly(MAX_FRAME_BYTES);
  private ByteString buffer = ByteString.emptyByteString();

  void add(ByteString bytes) {
    buffer = buffer.concat(bytes);
  }

  Head head() {
    String text = buffer.decodeString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return buffer.size() > MAX_HEAD_BYTES ? new HeadTooLarge() : new HeadPending();
    }
    buffer = buffer.drop(end + 4);
    return new HeadRead(HttpHead.parse(text.substring(0, end)));
  }

  /** The request body that follows the head, once all {@code length} bytes have arrived. */
  Optional<ByteString> body(int length) {
    if (buffer.size() < length) {
      return Optional.empty();
    }
    ByteString body = buffer.take(length);
    buffer = buffer.drop(length);
    return Optional.of(body);
  }

  /** The next whole frame's meaning, or empty until one has arrived. */
  Optional<Read> next() {
    long needed = WebSocketFrames.frameLength(buffer);
    if (needed > MAX_FRAME_BYTES) {
      return Optional.of(new Broken(WebSocketFrames.CLOSE_TOO_BIG, "frame too large"));
    }
    if (needed < 0 || buffer.size() < needed) {
      return Optional.empty();
    }
    WebSocketFrames.Frame frame;
    try {
      frame = WebSocketFrames.read(buffer.take((int) needed));
    } catch (WebSocketFrames.ProtocolViolation violation) {
      return Optional.of(new Broken(violation.closeCode, violation.getMessage()));
    }
    buffer = buffer.drop((int) needed);
    return Optional.of(meaning(frame));
  }

  private Read meaning(WebSocketFrames.Frame frame) {
    switch (frame.opcode()) {
      case WebSocketFrames.PING:
        return new Ping(frame.payload());
      case WebSocketFrames.PONG:
        return new Pong();
      case WebSocketFrames.CLOSE:
        return new Closed(WebSocketFrames.closeCode(frame.payload()));
      case WebSocketFrames.TEXT, WebSocketFrames.BINARY, WebSocketFrames.CONTINUATION:
        MessageAssembly.Outcome outcome = assembly.take(frame);
        if (outcome instanceof MessageAssembly.Message message) {
          return new Message(message.opcode(), message.payload());
        }
        if (outcome instanceof MessageAssembly.Violation violation) {
          return new Broken(violation.code(), violation.reason());
        }
        return new Fragment();
      default:
        return new Broken(WebSocketFrames.CLOSE_PROTOCOL_ERROR, "unknown opcode");
    }
  }
}
