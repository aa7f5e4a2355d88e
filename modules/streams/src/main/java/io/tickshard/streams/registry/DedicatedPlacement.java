package io.tickshard.streams.registry;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.streams.StreamKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code dedicated} policy of {@link SocketPlacement}: each key holds a slot of its own and its
 * socket carries exactly that key's instruments, in its mode (an instrument two keys want is
 * subscribed on both their sockets). A key that finds every slot held is refused with the keys that
 * hold them; a stopped key's slot is free at once, its socket closing as it carries nothing.
 *
 * <p>What a slot carried for a registry before this one (adopted after a hand-over) waits for its
 * key for the grace, then is dropped; a key that finds no free slot takes such a slot at once.
 */
final class DedicatedPlacement implements SocketPlacement {

  private record Held(StreamKey key, Set<Instrument> instruments, FeedMode mode) {
    Map<Instrument, FeedMode> table() {
      Map<Instrument, FeedMode> table = new TreeMap<>();
      instruments.forEach(instrument -> table.put(instrument, mode));
      return table;
    }
  }

  private record Adopted(Map<Instrument, FeedMode> carried, Instant since) {}

  private final int slots;
  private final int perSocket;
  private final Duration grace;
  private final Map<Integer, Held> held = new TreeMap<>();
  private final Map<StreamKey, Integer> slotOfKey = new HashMap<>();
  private final Map<Integer, Adopted> adopted = new TreeMap<>();

  DedicatedPlacement(int slots, int perSocket, Duration grace) {
    this.slots = slots;
    this.perSocket = perSocket;
    this.grace = grace;
  }

  @Override
  public PlacementPolicy policy() {
    return PlacementPolicy.DEDICATED;
  }

  @Override
  public Outcome place(
      StreamKey key, Collection<Instrument> instruments, FeedMode mode, Instant now) {
    Held wanted = new Held(key, Set.copyOf(instruments), mode);
    Integer slot = slotOfKey.get(key);
    List<FeedRequest> requests = new ArrayList<>();
    if (slot != null) {
      Held had = held.get(slot);
      if (had.equals(wanted)) {
        return new Placed(Set.of(slot), List.of());
      }
      requests.addAll(unsubscribe(had.table()));
    } else {
      Integer waiting = adoptedCarrying(wanted.table());
      if (waiting != null) {
        adopted.remove(waiting);
        take(waiting, wanted);
        return new Placed(Set.of(waiting), List.of());
      }
      slot = freeSlot();
      if (slot == null && !adopted.isEmpty()) {
        slot = adopted.keySet().iterator().next();
        requests.addAll(unsubscribe(adopted.remove(slot).carried()));
      }
      if (slot == null) {
        return new Full(held.values().stream().map(Held::key).sorted().toList(), slots);
      }
    }
    take(slot, wanted);
    requests.addAll(FeedRequest.subscribe(mode, List.copyOf(new TreeSet<>(instruments))));
    return new Placed(Set.of(slot), List.of(new SocketDelta(slot, requests)));
  }

  private void take(int slot, Held wanted) {
    held.put(slot, wanted);
    slotOfKey.put(wanted.key(), slot);
  }

  private Integer freeSlot() {
    for (int slot = 0; slot < slots; slot++) {
      if (!held.containsKey(slot) && !adopted.containsKey(slot)) {
        return slot;
      }
    }
    return null;
  }

  private Integer adoptedCarrying(Map<Instrument, FeedMode> table) {
    for (Map.Entry<Integer, Adopted> entry : adopted.entrySet()) {
      if (entry.getValue().carried().equals(table)) {
        return entry.getKey();
      }
    }
    return null;
  }

  @Override
  public List<SocketDelta> release(StreamKey key, Instant now) {
    Integer slot = slotOfKey.remove(key);
    if (slot == null) {
      return List.of();
    }
    Held had = held.remove(slot);
    return List.of(new SocketDelta(slot, unsubscribe(had.table())));
  }

  @Override
  public List<SocketDelta> expire(Instant now) {
    List<SocketDelta> deltas = new ArrayList<>();
    for (var entry : List.copyOf(adopted.entrySet())) {
      if (!entry.getValue().since().plus(grace).isAfter(now)) {
        adopted.remove(entry.getKey());
        deltas.add(new SocketDelta(entry.getKey(), unsubscribe(entry.getValue().carried())));
      }
    }
    return deltas;
  }

  @Override
  public void adopt(int slot, Map<Instrument, FeedMode> carriedThere, Instant now) {
    if (!held.containsKey(slot) && !carriedThere.isEmpty() && slot < slots) {
      adopted.putIfAbsent(slot, new Adopted(new TreeMap<>(carriedThere), now));
    }
  }

  @Override
  public boolean holds(StreamKey key) {
    return slotOfKey.containsKey(key);
  }

  @Override
  public Set<Integer> slotsOf(StreamKey key) {
    Integer slot = slotOfKey.get(key);
    return slot == null ? Set.of() : Set.of(slot);
  }

  @Override
  public Map<StreamKey, Map.Entry<FeedMode, List<Instrument>>> routes(int slot) {
    Held there = held.get(slot);
    return there == null
        ? Map.of()
        : Map.of(
            there.key(), Map.entry(there.mode(), List.copyOf(new TreeSet<>(there.instruments()))));
  }

  @Override
  public Map<Instrument, FeedMode> table(int slot) {
    Held there = held.get(slot);
    if (there != null) {
      return there.table();
    }
    Adopted waiting = adopted.get(slot);
    return waiting != null ? new TreeMap<>(waiting.carried()) : Map.of();
  }

  @Override
  public Set<Integer> slotsInUse() {
    Set<Integer> inUse = new TreeSet<>(held.keySet());
    inUse.addAll(adopted.keySet());
    return inUse;
  }

  @Override
  public int instrumentsInUse() {
    return slotsInUse().stream().mapToInt(slot -> table(slot).size()).sum();
  }

  @Override
  public Map<FeedMode, Integer> modesOn(int slot) {
    Map<FeedMode, Integer> counts = new EnumMap<>(FeedMode.class);
    table(slot).values().forEach(mode -> counts.merge(mode, 1, Integer::sum));
    return counts;
  }

  @Override
  public int capacity() {
    return slots * perSocket;
  }

  @Override
  public int perSocket() {
    return perSocket;
  }

  /** Unsubscribes of a table, per mode, in instrument order. */
  private static List<FeedRequest> unsubscribe(Map<Instrument, FeedMode> table) {
    Map<FeedMode, List<Instrument>> byMode = new EnumMap<>(FeedMode.class);
    new TreeMap<>(table)
        .forEach((i, mode) -> byMode.computeIfAbsent(mode, m -> new ArrayList<>()).add(i));
    List<FeedRequest> requests = new ArrayList<>();
    byMode.forEach((mode, list) -> requests.addAll(FeedRequest.unsubscribe(mode, list)));
    return requests;
  }
}
