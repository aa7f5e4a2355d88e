package io.tickshard.simulator;

import org.apache.pekko.util.ByteString;

/**
 * A client's data frames joined into WebSocket messages (RFC 6455 §5.4): a message is one final
 * frame, or a first frame and continuations up to a final one. Plain state of one session.
 */
final class MessageAssembly {

  sealed interface Outcome {}

  /** A whole message. */
  record Message(int opcode, ByteString payload) implements Outcome {}

  /** More frames to come. */
  record Partial() implements Outcome {}

  /** The client broke the protocol: close with {@code code}. */
  record Violation(int code, String reason) implements Outcome {}

  private final int maxBytes;
  private int opcode = -1;
  private ByteString fragments = ByteString.emptyByteString();

  MessageAssembly(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** A text or binary frame, or a continuation. */
  Outcome take(WebSocketFrames.Frame frame) {
    if (frame.opcode() != WebSocketFrames.CONTINUATION) {
      if (opcode >= 0) {
        return new Violation(
            WebSocketFrames.CLOSE_PROTOCOL_ERROR, "new message inside a fragmented one");
      }
      if (frame.fin()) {
        return new Message(frame.opcode(), frame.payload());
      }
      opcode = frame.opcode();
      fragments = frame.payload();
      return new Partial();
    }
    if (opcode < 0) {
      return new Violation(WebSocketFrames.CLOSE_PROTOCOL_ERROR, "continuation without a message");
    }
    fragments = fragments.concat(frame.payload());
    if (fragments.size() > maxBytes) {
      return new Violation(WebSocketFrames.CLOSE_TOO_BIG, "message too large");
    }
    if (!frame.fin()) {
      return new Partial();
    }
    Message whole = new Message(opcode, fragments);
    opcode = -1;
    fragments = ByteString.emptyByteString();
    return whole;
  }
}
