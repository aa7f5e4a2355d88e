package io.tickshard.streams.entity;

import io.tickshard.feed.FeedMode;
import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.registry.StreamRegistry;
import java.time.Instant;
import java.util.List;

/** What a {@link StreamEntity.Start} is answered, and how that answer is decided. */
public sealed interface StartReply extends CborSerializable {

  /** This call started the stream. */
  record Started(StreamStatus status) implements StartReply {}

  /** It was running (connected) already. */
  record AlreadyRunning(StreamStatus status) implements StartReply {}

  /** It was started earlier and is not connected yet (connecting or reconnecting). */
  record Queued(StreamStatus status) implements StartReply {}

  /** It runs in another mode; the mode is not part of the key. */
  record ModeConflict(FeedMode runningMode, FeedMode requestedMode, StreamStatus status)
      implements StartReply {}

  /** Outside market hours; {@code nextOpen} may be null when unknown. */
  record MarketClosed(Instant nextOpen) implements StartReply {}

  record Rejected(String reason) implements StartReply {}

  /** The cluster could not decide now (the registry did not answer); try again. */
  record Unavailable(String reason) implements StartReply {}

  /** The start could not be written to the journal: nothing started; try again. */
  record NotRecorded(String reason) implements StartReply {}

  /** Every broker connection slot is held; {@code holders} are the keys that hold them. */
  record BudgetExhausted(List<String> holders, int budget) implements StartReply {}

  /**
   * The key's new instruments do not fit on the sockets the account has.
   *
   * @param inUse distinct instruments subscribed now, of {@code capacity} (sockets × 5,000)
   */
  record InstrumentsExhausted(int needed, int inUse, int capacity) implements StartReply {}

  /** A start of a stream that runs already (as {@code status} says) in {@code running} mode. */
  static StartReply whileRunning(StreamStatus status, FeedMode running, FeedMode requested) {
    if (requested != running) {
      return new ModeConflict(running, requested, status);
    }
    return switch (status.state()) {
      case FAILED ->
          new Rejected(
              "the stream failed (" + status.lastError() + "); stop it before starting it again");
      case RUNNING -> new AlreadyRunning(status);
      default -> new Queued(status);
    };
  }

  /** The answer to starts whose slot request was not granted ({@code reply} null: no answer). */
  static StartReply refusal(StreamRegistry.SlotReply reply) {
    if (reply instanceof StreamRegistry.SlotRefused refused) {
      return new BudgetExhausted(refused.holders(), refused.budget());
    }
    if (reply instanceof StreamRegistry.InstrumentsRefused refused) {
      return new InstrumentsExhausted(refused.needed(), refused.inUse(), refused.capacity());
    }
    return new Unavailable("the stream registry did not answer in time; try again");
  }
}
