package io.tickshard.streams;

/** A stream key, screener type or instrument list that cannot be accepted, with the reason. */
public final class InvalidStreamKeyException extends IllegalArgumentException {
  public InvalidStreamKeyException(String reason) {
    super(reason);
  }
}
