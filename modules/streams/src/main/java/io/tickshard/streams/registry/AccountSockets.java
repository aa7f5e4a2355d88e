package io.tickshard.streams.registry;

import io.tickshard.feed.FeedLimits;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.Instrument;
import io.tickshard.streams.LogFields;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.sharing.RegistryLink;
import io.tickshard.streams.sharing.SocketState;
import io.tickshard.streams.sharing.SocketStatus;
import io.tickshard.streams.sharing.SocketWire;
import io.tickshard.streams.sharing.UpstreamSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's side of the account's broker sockets: the placement ({@link SocketPlacement}, by
 * its policy), the numbered changes it sends each socket slot, and the slots' reports. Owned by the
 * {@link StreamRegistry} actor and called on its thread only.
 */
final class AccountSockets {

  private final SocketPlacement placement;
  private final int budget;
  private final String registryId;
  private final ActorContext<StreamRegistry.Command> context;
  private final ClusterSharding sharding;
  private final String node;
  private static final Logger log = LoggerFactory.getLogger(AccountSockets.class);
  private final Map<Integer, Long> seqs = new HashMap<>();
  private final Map<Integer, Instant> lastSent = new HashMap<>();

  /** Longer than a change takes to reach its socket, even through a rebalance. */
  private static final Duration IN_FLIGHT = Duration.ofSeconds(5);

  private final Map<Integer, SocketStatus> reported = new TreeMap<>();
  private final Map<ActorRef<?>, String> watched = new HashMap<>();

  AccountSockets(
      RegistrySettings settings, String registryId, ActorContext<StreamRegistry.Command> context) {
    this.budget = settings.maxConnections();
    this.placement =
        SocketPlacement.of(
            settings.placement(),
            budget,
            FeedLimits.MAX_INSTRUMENTS_PER_CONNECTION,
            settings.unsubscribeGrace());
    this.registryId = registryId;
    this.context = context;
    this.sharding = ClusterSharding.get(context.getSystem());
    this.node = NodeName.of(context.getSystem());
  }

  // ---- keys ---------------------------------------------------------------------------------

  /** Places a key's instruments: granted with the sockets that carry them, or refused. */
  StreamRegistry.SlotReply place(StreamKey key, FeedMode mode, Instant now) {
    SocketPlacement.Outcome outcome = placement.place(key, key.instruments(), mode, now);
    if (!(outcome instanceof SocketPlacement.Placed)) {
      try (LogFields.Scope fields = LogFields.about(key, node)) {
        return refusal(key, outcome);
      }
    }
    SocketPlacement.Placed placed = (SocketPlacement.Placed) outcome;
    Map<Integer, List<FeedRequest>> requests = new TreeMap<>();
    placed.deltas().forEach(delta -> requests.put(delta.slot(), delta.requests()));
    for (int slot : new TreeSet<>(union(requests.keySet(), placed.slots()))) {
      List<SocketWire.Route> joined =
          placed.slots().contains(slot) ? List.of(new SocketWire.Route(key, mode)) : List.of();
      send(slot, requests.getOrDefault(slot, List.of()), joined, List.of());
    }
    return new StreamRegistry.SlotGranted(
        placed.slots().stream().map(UpstreamSocket::entityId).toList());
  }

  private StreamRegistry.SlotReply refusal(StreamKey key, SocketPlacement.Outcome outcome) {
    if (outcome instanceof SocketPlacement.Full full) {
      log.info(
          "stream {}: refused, every socket held by a key of its own ({}/{})",
          key.label(),
          full.holders().size(),
          full.slots());
      return new StreamRegistry.SlotRefused(
          full.holders().stream().map(StreamKey::value).toList(), full.slots());
    }
    SocketPlacement.Refused refused = (SocketPlacement.Refused) outcome;
    log.info(
        "stream {}: refused, {} new instruments do not fit ({} of {} in use)",
        key.label(),
        refused.needed(),
        refused.inUse(),
        refused.capacity());
    return new StreamRegistry.InstrumentsRefused(
        refused.needed(), refused.inUse(), refused.capacity());
  }

  boolean holds(StreamKey key) {
    return placement.holds(key);
  }

  /** The key stopped: its routes go now, what only it needed now or after the grace. */
  void release(StreamKey key, Instant now) {
    for (SocketPlacement.SocketDelta delta : placement.release(key, now)) {
      send(delta.slot(), delta.requests(), List.of(), List.of(key));
    }
  }

  /** Unsubscribes (and mode downgrades) whose grace is over. */
  void expire(Instant now) {
    placement
        .expire(now)
        .forEach(delta -> send(delta.slot(), delta.requests(), List.of(), List.of()));
  }

  private void send(
      int slot, List<FeedRequest> requests, List<SocketWire.Route> joined, List<StreamKey> left) {
    long seq = seqs.merge(slot, 1L, Long::sum);
    lastSent.put(slot, Instant.now());
    sharding
        .entityRefFor(UpstreamSocket.TYPE_KEY, UpstreamSocket.entityId(slot))
        .tell(
            new UpstreamSocket.Change(
                registryId, seq, SocketWire.requests(requests), joined, left));
  }

  /** The health check's remedy for a key gone quiet: its sockets drop and connect again. */
  void restart(StreamKey key, String reason) {
    for (int slot : placement.slotsOf(key)) {
      sharding
          .entityRefFor(UpstreamSocket.TYPE_KEY, UpstreamSocket.entityId(slot))
          .tell(new UpstreamSocket.RestartConnection(reason));
    }
  }

  // ---- sockets ------------------------------------------------------------------------------

  SocketWire.Table table(int slot) {
    List<SocketWire.Route> routes = new ArrayList<>();
    placement
        .routes(slot)
        .forEach((key, route) -> routes.add(new SocketWire.Route(key, route.getKey())));
    return new SocketWire.Table(
        registryId, seqs.getOrDefault(slot, 0L), SocketWire.byMode(placement.table(slot)), routes);
  }

  /**
   * A slot's report: kept for the listing; what it carries is adopted when this registry knows
   * nothing of it (after a hand-over); a slot out of step is told to resync.
   */
  void reported(RegistryLink.Report report, boolean complete, Instant now) {
    int slot = slotOf(report.status().id());
    reported.put(slot, report.status());
    if (report.inventory() != null && !placement.slotsInUse().contains(slot)) {
      Map<Instrument, FeedMode> carried = SocketWire.modes(report.inventory());
      placement.adopt(slot, carried, now);
      if (!carried.isEmpty()) {
        log.info(
            "socket {}: adopted, carrying {} instruments", report.status().id(), carried.size());
      }
    }
    // Changes arrive in order, so a report behind what was sent is normal while changes are on
    // their way; behind for a while after the last one was sent, one was lost (or the socket
    // follows another registry).
    boolean inStep =
        registryId.equals(report.registryId()) && report.seq() == seqs.getOrDefault(slot, 0L);
    Instant sent = lastSent.get(slot);
    boolean settled = sent == null || sent.plus(IN_FLIGHT).isBefore(now);
    if (complete && !inStep && settled && report.inventory() == null) {
      log.info(
          "socket {}: out of step (at change {} of {}), told to resync",
          report.status().id(),
          report.seq(),
          seqs.getOrDefault(slot, 0L));
      report.socket().tell(new UpstreamSocket.Resync());
    }
    if (watched.put(report.socket(), report.status().id()) == null) {
      context.watch(report.socket());
    }
  }

  /**
   * A socket owner that stopped (its node left or died, or it moved) shows lost until it reports
   * again; true when it was one of the sockets.
   */
  boolean gone(ActorRef<?> socket) {
    String id = watched.remove(socket);
    if (id == null) {
      return false;
    }
    SocketStatus status = reported.get(slotOf(id));
    if (status != null && status.state() != SocketState.IDLE) {
      reported.put(slotOf(id), status.lost());
      log.info("socket {} on {}: lost; it opens again on another node", id, status.node());
    }
    return true;
  }

  /** The sockets as this registry sees them: carrying something, or reported lately. */
  UpstreamListing listing(boolean complete) {
    List<UpstreamListing.Socket> sockets = new ArrayList<>();
    Set<Integer> slots = new TreeSet<>(placement.slotsInUse());
    slots.addAll(reported.keySet());
    for (int slot : slots) {
      Map<FeedMode, Integer> modes = placement.modesOn(slot);
      int carried = modes.values().stream().mapToInt(Integer::intValue).sum();
      SocketStatus status = reported.get(slot);
      if (carried == 0 && (status == null || status.state() == SocketState.IDLE)) {
        continue;
      }
      sockets.add(
          new UpstreamListing.Socket(
              UpstreamSocket.entityId(slot),
              status,
              modes,
              carried,
              placement.perSocket() - carried,
              placement.routes(slot).size()));
    }
    return new UpstreamListing(
        placement.policy().wireName(),
        budget,
        placement.slotsInUse().size(),
        placement.instrumentsInUse(),
        placement.capacity(),
        sockets,
        complete);
  }

  SlotHolding holding() {
    return new SlotHolding() {
      @Override
      public boolean holds(StreamKey key) {
        return placement.holds(key);
      }

      @Override
      public int used() {
        return placement.slotsInUse().size();
      }

      @Override
      public int limit() {
        return budget;
      }
    };
  }

  private static int slotOf(String socketId) {
    return Integer.parseInt(socketId.substring(socketId.indexOf('-') + 1));
  }

  private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
    Set<Integer> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
