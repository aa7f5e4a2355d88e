package io.tickshard.streams.registry;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.streams.StreamKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which socket slot carries what, for which keys: the one decision behind every broker socket.
 * {@link PlacementPolicy} picks the rules: {@link SharedPlacement} (each instrument once in the
 * cluster, any number of keys per socket) or {@link DedicatedPlacement} (one key per socket).
 *
 * <p>Plain state, no actor: the registry asks it and sends the {@link SocketDelta}s it returns, so
 * the rules can be tried without a cluster or a clock. Not thread-safe.
 */
sealed interface SocketPlacement permits SharedPlacement, DedicatedPlacement {

  static SocketPlacement of(PlacementPolicy policy, int slots, int perSocket, Duration grace) {
    return switch (policy) {
      case SHARED -> new SharedPlacement(slots, perSocket, grace);
      case DEDICATED -> new DedicatedPlacement(slots, perSocket, grace);
    };
  }

  /** What a slot must send: requests in order (unsubscribes first). */
  record SocketDelta(int slot, List<FeedRequest> requests) {}

  sealed interface Outcome {}

  /**
   * The key's instruments are carried.
   *
   * @param slots the slots that carry them, ascending
   */
  record Placed(Set<Integer> slots, List<SocketDelta> deltas) implements Outcome {}

  /**
   * Not every instrument fits: nothing changed.
   *
   * @param inUse distinct instruments carried now
   * @param capacity slots times instruments per socket
   */
  record Refused(int needed, int inUse, int capacity) implements Outcome {}

  /** Every slot is held by a key of its own ({@code dedicated}): nothing changed. */
  record Full(List<StreamKey> holders, int slots) implements Outcome {}

  PlacementPolicy policy();

  /**
   * Places {@code key}; placing it again as it is changes nothing. (A key's instruments and mode do
   * not change while it runs; if they did, what it had is given up first.)
   */
  Outcome place(StreamKey key, Collection<Instrument> instruments, FeedMode mode, Instant now);

  /**
   * {@code key} stopped: its routes go at once from every slot named (requests may be empty), and
   * what only it needed goes now or after the grace, as the policy has it.
   */
  List<SocketDelta> release(StreamKey key, Instant now);

  /** Drops what was surplus for the whole grace. */
  List<SocketDelta> expire(Instant now);

  /**
   * What a slot says it carries, taken over by a registry that knows nothing of it yet (after a
   * hand-over), so that keys placing again find their instruments where they are instead of moving
   * them. Until a key needs them again they are surplus, dropped after the grace.
   */
  void adopt(int slot, Map<Instrument, FeedMode> carriedThere, Instant now);

  boolean holds(StreamKey key);

  /** The slots that carry {@code key}, ascending; empty when it is not placed. */
  Set<Integer> slotsOf(StreamKey key);

  /** Per key riding on {@code slot}: its mode and the instruments of it that slot carries. */
  Map<StreamKey, Map.Entry<FeedMode, List<Instrument>>> routes(int slot);

  /** What {@code slot} should carry now, for a slot that starts (again) on some node. */
  Map<Instrument, FeedMode> table(int slot);

  /** Slots carrying anything, that is sockets open, ascending. */
  Set<Integer> slotsInUse();

  /** Instruments subscribed over every socket. */
  int instrumentsInUse();

  /** Instruments carried by {@code slot}, per mode. */
  Map<FeedMode, Integer> modesOn(int slot);

  int capacity();

  int perSocket();
}
