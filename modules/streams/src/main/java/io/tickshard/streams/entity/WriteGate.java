package io.tickshard.streams.entity;

import io.tickshard.streams.journal.JournalMonitor;
import java.time.Instant;

/**
 * Whether a stream entity tries a journal write now. Refusing one at once while the journal is
 * known to be away keeps the entity (and its socket) running, where a failed write would restart
 * it; until the journal was reached once, writes are tried. A write whose caller stopped waiting is
 * not tried at all: that caller was told 503.
 */
final class WriteGate {
  /** Not tried: this node knows the journal is unreachable. */
  static final String NOT_TRIED =
      "the journal is unreachable from this node; nothing changed, try again later";

  /** Tried and not confirmed: it may land when the journal is back. */
  static final String NOT_CONFIRMED =
      "the journal did not confirm the write; the same call again gives the outcome";

  private final JournalMonitor journal;

  WriteGate(JournalMonitor journal) {
    this.journal = journal;
  }

  boolean journalKnownDown() {
    JournalMonitor.Reading reading = journal.reading();
    return reading.everUp() && !reading.up();
  }

  /** The caller's {@code answerBy} has passed ({@code null}: it waits for ever). */
  static boolean late(Instant answerBy, Instant now) {
    return answerBy != null && now.isAfter(answerBy);
  }
}
