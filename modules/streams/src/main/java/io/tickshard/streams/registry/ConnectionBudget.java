package io.tickshard.streams.registry;

import io.tickshard.streams.StreamStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker connection budget: which stream keys hold a socket slot, and against which broker
 * client id. The broker caps sockets per client id, so the cap is counted per client id; the
 * registry decides every slot here, one at a time, so concurrent starts can never overrun it.
 *
 * <p>Not thread-safe: it belongs to the registry actor, which is its only caller.
 */
final class ConnectionBudget implements SlotHolding {

  /** What {@link #tryAcquire} decided. */
  sealed interface Decision {}

  /** A new slot, counted from now on. */
  record Granted() implements Decision {}

  /** The key held a slot already: it keeps it, and nothing more is counted. */
  record Kept() implements Decision {}

  /**
   * Every slot of the client id is taken.
   *
   * @param holders the stream keys that hold them, in key order, for the operator to see
   */
  record Refused(List<String> holders, int limit) implements Decision {
    Refused {
      holders = List.copyOf(holders);
    }
  }

  private final int limit;

  /** Stream key → the broker client id its slot counts against. */
  private final Map<String, String> slots = new HashMap<>();

  /**
   * @param limit sockets one broker client id may hold
   */
  ConnectionBudget(int limit) {
    this.limit = limit;
  }

  /** Grants {@code key} a slot of {@code clientId}'s budget, unless every one is taken. */
  Decision tryAcquire(String key, String clientId) {
    if (holds(key)) {
      return new Kept();
    }
    List<String> holders = holders(clientId);
    if (holders.size() >= limit) {
      return new Refused(holders, limit);
    }
    slots.put(key, clientId);
    return new Granted();
  }

  /**
   * Counts what a stream reports rather than what was granted: after a hand-over of the registry
   * nothing was granted yet, but every stream that holds a slot and is connecting or connected has
   * a socket. One that waits for a slot, failed, or stopped has none.
   *
   * @param granted the entity says it was granted a slot
   */
  void reported(StreamStatus status, String clientId, boolean granted) {
    if (granted && status.state().holdsSlot()) {
      hold(status.key(), clientId);
    } else {
      release(status.key());
    }
  }

  /** Counts {@code key}'s slot against {@code clientId}, whatever the budget says: it has one. */
  void hold(String key, String clientId) {
    slots.put(key, clientId);
  }

  /** Frees {@code key}'s slot, if it held one. */
  void release(String key) {
    slots.remove(key);
  }

  @Override
  public boolean holds(String key) {
    return slots.containsKey(key);
  }

  /** Slots held, over every client id. */
  @Override
  public int used() {
    return slots.size();
  }

  /** Slots one client id may hold. */
  @Override
  public int limit() {
    return limit;
  }

  /** The keys holding a slot of {@code clientId}, in key order. */
  List<String> holders(String clientId) {
    return slots.entrySet().stream()
        .filter(slot -> slot.getValue().equals(clientId))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
