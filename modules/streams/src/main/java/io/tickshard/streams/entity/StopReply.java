package io.tickshard.streams.entity;

import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.StreamStatus;

/** What a {@link StreamEntity.Stop} is answered. */
public sealed interface StopReply extends CborSerializable {

  /** This call stopped the stream. */
  record Stopped(StreamStatus status) implements StopReply {}

  /** It was stopped before (a retried stop): nothing changed. */
  record AlreadyStopped(StreamStatus status) implements StopReply {}

  /** The key was never started. */
  record NotRunning() implements StopReply {}

  /** The stop could not be written: the stream runs on (as the journal says); try again. */
  record NotRecorded(String reason) implements StopReply {}

  /** The stopped stream's status, whether this call or an earlier one stopped it; else null. */
  static StreamStatus stoppedStatus(StopReply reply) {
    if (reply instanceof Stopped stopped) {
      return stopped.status();
    }
    return reply instanceof AlreadyStopped again ? again.status() : null;
  }
}
