package io.tickshard.streams.registry;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Shared upstream sockets (docs/architecture.md, "Shared upstream sockets"): which socket slot
 * carries each instrument, in which mode, for which keys. Each instrument is on one slot at most,
 * in the highest mode a key placed on it needs; instruments fill the fullest slot that has room,
 * and a new slot opens only when none has. An instrument no key needs any more (or a mode no key
 * needs any more) stays for a grace period, so that a key started again at once costs nothing.
 *
 * <p>Plain state, no actor: the registry asks it and sends the {@link SocketDelta}s it returns, so
 * the rules can be tried without a cluster or a clock. Not thread-safe.
 */
final class SocketPlacement {

  /** What a slot must send: requests in order (unsubscribes of a mode change first). */
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

  private record Lease(Set<Instrument> instruments, FeedMode mode) {}

  private final int slots;
  private final int perSocket;
  private final Duration grace;
  private final Map<String, Lease> leases = new HashMap<>();
  private final Map<Instrument, Integer> slotOf = new HashMap<>();
  private final Map<Instrument, FeedMode> subscribedMode = new HashMap<>();
  private final Map<Instrument, Map<String, FeedMode>> needs = new HashMap<>();
  private final Map<Integer, Integer> carried = new TreeMap<>();

  /** Instruments whose subscription is more than their keys need, since when. */
  private final Map<Instrument, Instant> surplusSince = new HashMap<>();

  SocketPlacement(int slots, int perSocket, Duration grace) {
    this.slots = slots;
    this.perSocket = perSocket;
    this.grace = grace;
  }

  /**
   * Places {@code key}; placing it again as it is changes nothing. (A key's instruments and mode do
   * not change while it runs; if they did, it is released first.)
   */
  Outcome place(String key, Collection<Instrument> instruments, FeedMode mode, Instant now) {
    Lease lease = new Lease(Set.copyOf(instruments), mode);
    if (lease.equals(leases.get(key))) {
      return new Placed(slotsOf(lease), List.of());
    }
    release(key, now);
    List<Instrument> fresh =
        lease.instruments().stream().filter(i -> !slotOf.containsKey(i)).sorted().toList();
    Map<Integer, List<Instrument>> chosen = choose(fresh);
    if (chosen == null) {
      return new Refused(fresh.size(), slotOf.size(), slots * perSocket);
    }
    Map<Integer, Map<FeedMode, List<Instrument>>> subscribe = new TreeMap<>();
    chosen.forEach(
        (slot, list) -> {
          list.forEach(i -> slotOf.put(i, slot));
          carried.merge(slot, list.size(), Integer::sum);
        });
    leases.put(key, lease);
    Map<Integer, Map<FeedMode, List<Instrument>>> unsubscribe = new TreeMap<>();
    for (Instrument instrument : lease.instruments()) {
      needs.computeIfAbsent(instrument, i -> new HashMap<>()).put(key, mode);
      FeedMode wanted = highest(needs.get(instrument).values());
      FeedMode current = subscribedMode.get(instrument);
      int slot = slotOf.get(instrument);
      if (current == null || current.compareTo(wanted) < 0) {
        if (current != null) {
          bucket(unsubscribe, slot, current).add(instrument);
        }
        bucket(subscribe, slot, wanted).add(instrument);
        subscribedMode.put(instrument, wanted);
      }
      settle(instrument);
    }
    return new Placed(slotsOf(lease), deltas(unsubscribe, subscribe));
  }

  /**
   * {@code key} stopped: what only it needed becomes surplus, dropped after the grace.
   *
   * @return the slots that carried it (their routes for it go at once), ascending
   */
  Set<Integer> release(String key, Instant now) {
    Lease lease = leases.get(key);
    if (lease == null) {
      return Set.of();
    }
    Set<Integer> carriedOn = slotsOf(lease);
    leases.remove(key);
    for (Instrument instrument : lease.instruments()) {
      forget(key, instrument);
      Map<String, FeedMode> left = needs.get(instrument);
      if (left == null || highest(left.values()).compareTo(subscribedMode.get(instrument)) < 0) {
        surplusSince.putIfAbsent(instrument, now);
      }
    }
    return carriedOn;
  }

  /**
   * What a slot says it carries, taken over by a registry that knows nothing of it yet (after a
   * hand-over), so that keys placing again find their instruments where they are instead of moving
   * them. Until a key needs them again they are surplus, dropped after the grace.
   */
  void adopt(int slot, Map<Instrument, FeedMode> carriedThere, Instant now) {
    carriedThere.forEach(
        (instrument, mode) -> {
          if (slotOf.containsKey(instrument) || carried.getOrDefault(slot, 0) >= perSocket) {
            return;
          }
          slotOf.put(instrument, slot);
          subscribedMode.put(instrument, mode);
          carried.merge(slot, 1, Integer::sum);
          surplusSince.putIfAbsent(instrument, now);
        });
  }

  boolean holds(String key) {
    return leases.containsKey(key);
  }

  /** Per key riding on {@code slot}: its mode and the instruments of it that slot carries. */
  Map<String, Map.Entry<FeedMode, List<Instrument>>> routes(int slot) {
    Map<String, Map.Entry<FeedMode, List<Instrument>>> routes = new TreeMap<>();
    leases.forEach(
        (key, lease) -> {
          List<Instrument> there = on(lease, slot);
          if (!there.isEmpty()) {
            routes.put(key, Map.entry(lease.mode(), there));
          }
        });
    return routes;
  }

  private List<Instrument> on(Lease lease, int slot) {
    return lease.instruments().stream()
        .filter(i -> Integer.valueOf(slot).equals(slotOf.get(i)))
        .sorted()
        .toList();
  }

  /** Drops what was surplus for the whole grace: unsubscribes, and downgrades of a mode. */
  List<SocketDelta> expire(Instant now) {
    Map<Integer, Map<FeedMode, List<Instrument>>> unsubscribe = new TreeMap<>();
    Map<Integer, Map<FeedMode, List<Instrument>>> subscribe = new TreeMap<>();
    for (var surplus : List.copyOf(surplusSince.entrySet())) {
      if (surplus.getValue().plus(grace).isAfter(now)) {
        continue;
      }
      Instrument instrument = surplus.getKey();
      surplusSince.remove(instrument);
      int slot = slotOf.get(instrument);
      FeedMode current = subscribedMode.get(instrument);
      bucket(unsubscribe, slot, current).add(instrument);
      Map<String, FeedMode> left = needs.get(instrument);
      if (left == null) {
        slotOf.remove(instrument);
        subscribedMode.remove(instrument);
        carried.merge(slot, -1, Integer::sum);
      } else {
        FeedMode wanted = highest(left.values());
        bucket(subscribe, slot, wanted).add(instrument);
        subscribedMode.put(instrument, wanted);
      }
    }
    carried.values().removeIf(count -> count == 0);
    return deltas(unsubscribe, subscribe);
  }

  /** What each slot should carry now, for a slot that starts (again) on some node. */
  Map<Instrument, FeedMode> table(int slot) {
    Map<Instrument, FeedMode> table = new TreeMap<>();
    slotOf.forEach(
        (instrument, at) -> {
          if (at == slot) {
            table.put(instrument, subscribedMode.get(instrument));
          }
        });
    return table;
  }

  /** The keys an instrument's ticks go to, and the mode each wants them in. */
  Map<String, FeedMode> keysOf(Instrument instrument) {
    return Map.copyOf(needs.getOrDefault(instrument, Map.of()));
  }

  /** Slots carrying anything, that is sockets open, ascending. */
  Set<Integer> slotsInUse() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(carried.keySet()));
  }

  int instrumentsInUse() {
    return slotOf.size();
  }

  /** Instruments carried by {@code slot}, per mode. */
  Map<FeedMode, Integer> modesOn(int slot) {
    Map<FeedMode, Integer> counts = new EnumMap<>(FeedMode.class);
    slotOf.forEach(
        (instrument, at) -> {
          if (at == slot) {
            counts.merge(subscribedMode.get(instrument), 1, Integer::sum);
          }
        });
    return counts;
  }

  int capacity() {
    return slots * perSocket;
  }

  int perSocket() {
    return perSocket;
  }

  /** When the next surplus instrument's grace ends; empty when none is surplus. */
  Optional<Instant> nextExpiry() {
    return surplusSince.values().stream().min(Comparator.naturalOrder()).map(t -> t.plus(grace));
  }

  // ---- rules ----------------------------------------------------------------------------------

  /**
   * Room for {@code fresh}: the fullest slots with room first (fewest sockets), then new ones in
   * slot order; null when the budget cannot hold them.
   */
  private Map<Integer, List<Instrument>> choose(List<Instrument> fresh) {
    List<Integer> order = new ArrayList<>();
    carried.entrySet().stream()
        .filter(e -> e.getValue() < perSocket)
        .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed())
        .forEach(e -> order.add(e.getKey()));
    for (int slot = 0; slot < slots; slot++) {
      if (!carried.containsKey(slot)) {
        order.add(slot);
      }
    }
    Map<Integer, List<Instrument>> chosen = new LinkedHashMap<>();
    int next = 0;
    for (int slot : order) {
      int room = perSocket - carried.getOrDefault(slot, 0);
      int take = Math.min(room, fresh.size() - next);
      if (take > 0) {
        chosen.put(slot, fresh.subList(next, next + take));
        next += take;
      }
    }
    return next == fresh.size() ? chosen : null;
  }

  private void forget(String key, Instrument instrument) {
    Map<String, FeedMode> left = needs.get(instrument);
    if (left != null) {
      left.remove(key);
      if (left.isEmpty()) {
        needs.remove(instrument);
      }
    }
  }

  /** Needed at its mode again: no longer surplus. */
  private void settle(Instrument instrument) {
    Map<String, FeedMode> left = needs.get(instrument);
    if (left != null && highest(left.values()) == subscribedMode.get(instrument)) {
      surplusSince.remove(instrument);
    }
  }

  private Set<Integer> slotsOf(Lease lease) {
    TreeSet<Integer> used = new TreeSet<>();
    lease.instruments().forEach(i -> used.add(slotOf.get(i)));
    return Collections.unmodifiableSortedSet(used);
  }

  private static FeedMode highest(Collection<FeedMode> modes) {
    return modes.stream().max(Comparator.naturalOrder()).orElse(FeedMode.TICKER);
  }

  private static List<Instrument> bucket(
      Map<Integer, Map<FeedMode, List<Instrument>>> requests, int slot, FeedMode mode) {
    return requests
        .computeIfAbsent(slot, s -> new EnumMap<>(FeedMode.class))
        .computeIfAbsent(mode, m -> new ArrayList<>());
  }

  /** Per slot: the unsubscribes, then the subscribes, 100 instruments per message at most. */
  private static List<SocketDelta> deltas(
      Map<Integer, Map<FeedMode, List<Instrument>>> unsubscribe,
      Map<Integer, Map<FeedMode, List<Instrument>>> subscribe) {
    Set<Integer> touched = new TreeSet<>(unsubscribe.keySet());
    touched.addAll(subscribe.keySet());
    List<SocketDelta> deltas = new ArrayList<>();
    for (int slot : touched) {
      List<FeedRequest> requests = new ArrayList<>();
      unsubscribe
          .getOrDefault(slot, Map.of())
          .forEach((mode, list) -> requests.addAll(FeedRequest.unsubscribe(mode, sorted(list))));
      subscribe
          .getOrDefault(slot, Map.of())
          .forEach((mode, list) -> requests.addAll(FeedRequest.subscribe(mode, sorted(list))));
      deltas.add(new SocketDelta(slot, requests));
    }
    return deltas;
  }

  private static List<Instrument> sorted(List<Instrument> instruments) {
    return instruments.stream().sorted().toList();
  }
}
