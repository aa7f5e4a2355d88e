package io.tickshard.feed;

/**
 * Bytes the decoder could not take as a packet. Decoding never throws: it reports one of these and
 * goes on with the next packet when the length field still allows it, or the next frame when not.
 *
 * @param offset where in the frame the bad packet starts
 * @param frameLength the whole frame's length
 * @param responseCode the packet's response code, or -1 when not even a header was there
 */
public record MalformedFrame(
    Kind kind, String reason, int offset, int frameLength, int responseCode) {

  /** What was wrong; operators see one log line per kind. */
  public enum Kind {
    /** A frame with no bytes at all. */
    EMPTY_FRAME,
    /** Fewer than 8 bytes where a header should start. */
    SHORT_HEADER,
    /** A length field below the header size: the rest of the frame cannot be trusted. */
    BAD_LENGTH,
    /** A length field pointing past the end of the frame. */
    TRUNCATED,
    /** A documented packet whose length is not the documented one; skipped by its length. */
    WRONG_LENGTH,
    /** A market packet naming a segment code the broker does not define; skipped by its length. */
    UNKNOWN_SEGMENT
  }
}
