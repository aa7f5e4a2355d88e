package io.tickshard.simulator;

import io.tickshard.feed.DisconnectReason;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.Instrument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * What the simulator knows across connections: the open ones, the counters, and the fault switches.
 * Thread-safe; each connection's own state stays on its stream stage.
 */
public final class SimulatorState {
  final AtomicLong connectionsOpened = new AtomicLong();
  final AtomicLong authFailures = new AtomicLong();
  final AtomicLong handshakesRefused = new AtomicLong();
  final AtomicLong framesSent = new AtomicLong();
  final AtomicLong subscribeMessages = new AtomicLong();
  final AtomicLong unsubscribeMessages = new AtomicLong();
  final AtomicLong evictions = new AtomicLong();
  final AtomicLong pingTimeouts = new AtomicLong();
  final AtomicLong limitDisconnects = new AtomicLong();
  final AtomicLong badRequests = new AtomicLong();
  private final AtomicLong connectionIds = new AtomicLong();
  private final Map<Long, ConnectionHandle> open = new ConcurrentHashMap<>();

  /** Every authenticated connection since start, oldest first, up to {@link #TIMELINE_LIMIT}. */
  private final Deque<ConnectionHandle> history = new ConcurrentLinkedDeque<>();

  private static final int TIMELINE_LIMIT = 10_000;
  private AuthRefusal authRefusal;

  /**
   * Counters since start; {@code connectionsOpened} counts every WebSocket upgrade request (refused
   * handshakes included), {@code handshakesRefused} those answered with an HTTP error instead of
   * 101 by the {@code http_429} / {@code http_503} fault switch.
   */
  public record Stats(
      long connectionsOpened,
      long connectionsOpen,
      long authFailures,
      long handshakesRefused,
      long framesSent,
      long subscribeMessages,
      long unsubscribeMessages,
      long evictions,
      long pingTimeouts,
      long limitDisconnects,
      long badRequests) {}

  /** One instrument's subscription on a connection. */
  public record Subscription(String segment, int securityId, String mode) {}

  /**
   * One connection in the timeline: when it opened and closed (null while open), and every
   * instrument it subscribed. Lets a test check that no two sockets ever served the same set.
   */
  public record TimelineEntry(
      long id, String clientId, String openedAt, String closedAt, List<String> instruments) {}

  /** One open, authenticated connection as the admin API shows it. */
  public record ConnectionInfo(
      long id,
      String clientId,
      String openedAt,
      String remoteAddress,
      boolean stalled,
      int instrumentCount,
      Map<String, Integer> instrumentsPerMode,
      List<Subscription> instruments) {}

  public Stats stats() {
    return new Stats(
        connectionsOpened.get(),
        open.size(),
        authFailures.get(),
        handshakesRefused.get(),
        framesSent.get(),
        subscribeMessages.get(),
        unsubscribeMessages.get(),
        evictions.get(),
        pingTimeouts.get(),
        limitDisconnects.get(),
        badRequests.get());
  }

  /** Open connections, oldest first. */
  public List<ConnectionInfo> connections() {
    return open.values().stream()
        .sorted(Comparator.comparingLong(handle -> handle.id))
        .map(SimulatorState::describe)
        .toList();
  }

  private static ConnectionInfo describe(ConnectionHandle handle) {
    Map<Instrument, FeedMode> subscriptions = new TreeMap<>(handle.subscriptions());
    Map<String, Integer> perMode = new TreeMap<>();
    List<Subscription> instruments = new ArrayList<>(subscriptions.size());
    subscriptions.forEach(
        (instrument, mode) -> {
          perMode.merge(mode.wireName(), 1, Integer::sum);
          instruments.add(
              new Subscription(
                  instrument.segment().name(), instrument.securityId(), mode.wireName()));
        });
    return new ConnectionInfo(
        handle.id,
        handle.clientId,
        handle.openedAt.toString(),
        handle.remoteAddress,
        handle.stalled(),
        instruments.size(),
        perMode,
        instruments);
  }

  /** Connections since start (the latest 10,000), oldest first. */
  public List<TimelineEntry> timeline() {
    return history.stream()
        .map(
            handle ->
                new TimelineEntry(
                    handle.id,
                    handle.clientId,
                    handle.openedAt.toString(),
                    handle.closedAt() == null ? null : handle.closedAt().toString(),
                    new TreeSet<>(handle.everSubscribed())
                        .stream().map(Instrument::toString).toList()))
        .toList();
  }

  long nextConnectionId() {
    return connectionIds.incrementAndGet();
  }

  /**
   * Admits an authenticated connection. Beyond the per-client limit the oldest connections of that
   * client are evicted with reason 805, as the broker does.
   */
  synchronized void register(ConnectionHandle handle, int maxConnectionsPerClient) {
    open.put(handle.id, handle);
    history.addLast(handle);
    while (history.size() > TIMELINE_LIMIT) {
      history.pollFirst();
    }
    List<ConnectionHandle> sameClient =
        open.values().stream()
            .filter(other -> other.clientId.equals(handle.clientId))
            .sorted(Comparator.comparingLong(other -> other.id))
            .toList();
    for (int i = 0; i < sameClient.size() - maxConnectionsPerClient; i++) {
      ConnectionHandle oldest = sameClient.get(i);
      open.remove(oldest.id);
      oldest.closed(Instant.now());
      evictions.incrementAndGet();
      oldest.send(new ConnectionCommand.Disconnect(DisconnectReason.TOO_MANY_CONNECTIONS.code()));
    }
  }

  void deregister(ConnectionHandle handle) {
    handle.closed(Instant.now());
    open.remove(handle.id);
  }

  /** Sends a command to the connection with this id, or to all when {@code id} is empty. */
  int command(Optional<Long> id, ConnectionCommand command) {
    Predicate<ConnectionHandle> selected = handle -> id.isEmpty() || id.get() == handle.id;
    List<ConnectionHandle> targets = open.values().stream().filter(selected).toList();
    targets.forEach(handle -> handle.send(command));
    return targets.size();
  }

  /** Refuses the next connection attempts as {@code refusal} says. */
  public synchronized void refuseAuth(AuthRefusal refusal) {
    this.authRefusal = refusal;
  }

  synchronized Optional<AuthRefusal> takeAuthRefusal() {
    if (authRefusal == null || authRefusal.remaining() == 0) {
      authRefusal = null;
      return Optional.empty();
    }
    AuthRefusal current = authRefusal;
    authRefusal = current.remaining() > 0 ? current.consumeOne() : current;
    return Optional.of(current);
  }

  /** Clears the auth fault switch and resumes stalled connections. */
  public int clearFaults() {
    synchronized (this) {
      authRefusal = null;
    }
    return command(Optional.empty(), new ConnectionCommand.Stall(false));
  }

  /** Resets one connection (or all) without a close frame. */
  public int drop(Optional<Long> connectionId) {
    return command(connectionId, new ConnectionCommand.Drop());
  }

  /** Stops one connection (or all) from sending anything, keeping the socket. */
  public int stall(Optional<Long> connectionId, boolean stalled) {
    return command(connectionId, new ConnectionCommand.Stall(stalled));
  }

  /** Sends one undecodable binary frame on one connection (or all). */
  public int sendGarbage(Optional<Long> connectionId) {
    return command(connectionId, new ConnectionCommand.Garbage());
  }

  /** Sends a disconnect packet with {@code reasonCode} and closes one connection (or all). */
  public int disconnect(Optional<Long> connectionId, int reasonCode) {
    return command(connectionId, new ConnectionCommand.Disconnect(reasonCode));
  }

  void shutdownAll() {
    command(Optional.empty(), new ConnectionCommand.Shutdown());
  }
}
