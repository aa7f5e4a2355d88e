package io.tickshard.streams.registry;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.streams.StreamKey;
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
 * The {@code shared} policy of {@link SocketPlacement}: shared upstream sockets
 * (docs/architecture.md, "Placement policies"): which socket slot carries each instrument, in which
 * mode, for which keys. Each instrument is on one slot at most, in the highest mode a key placed on
 * it needs; instruments fill the fullest slot that has room, and a new slot opens only when none
 * has. An instrument no key needs any more (or a mode no key needs any more) stays for a grace
 * period, so that a key started again at once costs nothing.
 *
 * <p>Not thread-safe.
 */
final class SharedPlacement implements SocketPlacement {

  private record Lease(Set<Instrument> instruments, FeedMode mode) {}

  private final int slots;
  private final int perSocket;
  private final Duration grace;
  private final Map<StreamKey, Lease> leases = new HashMap<>();
  private final Map<Instrument, Integer> slotOf = new HashMap<>();
  private final Map<Instrument, FeedMode> subscribedMode = new HashMap<>();
  private final Map<Instrument, Map<StreamKey, FeedMode>> needs = new HashMap<>();
  private final Map<Integer, Integer> carried = new TreeMap<>();

  /** Instruments whose subscription is more than their keys need, since when. */
  private final Map<Instrument, Instant> surplusSince = new HashMap<>();

  SharedPlacement(int slots, int perSocket, Duration grace) {
    this.slots = slots;
    this.perSocket = perSocket;
    this.grace = grace;
  }

  @Override
  public PlacementPolicy policy() {
    return PlacementPolicy.SHARED;
  }

  @Override
  public Outcome place(
      StreamKey key, Collection<Instrument> instruments, FeedMode mode, Instant now) {
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

  /** What only {@code key} needed becomes surplus, dropped after the grace: no requests now. */
  @Override
  public List<SocketDelta> release(StreamKey key, Instant now) {
    Lease lease = leases.get(key);
    if (lease == null) {
      return List.of();
    }
    Set<Integer> carriedOn = slotsOf(lease);
    leases.remove(key);
    for (Instrument instrument : lease.instruments()) {
      forget(key, instrument);
      Map<StreamKey, FeedMode> left = needs.get(instrument);
      if (left == null || highest(left.values()).compareTo(subscribedMode.get(instrument)) < 0) {
        surplusSince.putIfAbsent(instrument, now);
      }
    }
    return carriedOn.stream().map(slot -> new SocketDelta(slot, List.of())).toList();
  }

  @Override
  public void adopt(int slot, Map<Instrument, FeedMode> carriedThere, Instant now) {
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

  @Override
  public boolean holds(StreamKey key) {
    return leases.containsKey(key);
  }

  @Override
  public Set<Integer> slotsOf(StreamKey key) {
    Lease lease = leases.get(key);
    return lease == null ? Set.of() : slotsOf(lease);
  }

  @Override
  public Map<StreamKey, Map.Entry<FeedMode, List<Instrument>>> routes(int slot) {
    Map<StreamKey, Map.Entry<FeedMode, List<Instrument>>> routes = new TreeMap<>();
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

  /** Unsubscribes, and downgrades of a mode. */
  @Override
  public List<SocketDelta> expire(Instant now) {
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
      Map<StreamKey, FeedMode> left = needs.get(instrument);
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

  @Override
  public Map<Instrument, FeedMode> table(int slot) {
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
  Map<StreamKey, FeedMode> keysOf(Instrument instrument) {
    return Map.copyOf(needs.getOrDefault(instrument, Map.of()));
  }

  @Override
  public Set<Integer> slotsInUse() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(carried.keySet()));
  }

  @Override
  public int instrumentsInUse() {
    return slotOf.size();
  }

  @Override
  public Map<FeedMode, Integer> modesOn(int slot) {
    Map<FeedMode, Integer> counts = new EnumMap<>(FeedMode.class);
    slotOf.forEach(
        (instrument, at) -> {
          if (at == slot) {
            counts.merge(subscribedMode.get(instrument), 1, Integer::sum);
          }
        });
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

  private void forget(StreamKey key, Instrument instrument) {
    Map<StreamKey, FeedMode> left = needs.get(instrument);
    if (left != null) {
      left.remove(key);
      if (left.isEmpty()) {
        needs.remove(instrument);
      }
    }
  }

  /** Needed at its mode again: no longer surplus. */
  private void settle(Instrument instrument) {
    Map<StreamKey, FeedMode> left = needs.get(instrument);
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
