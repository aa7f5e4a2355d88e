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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the simulator knows across connections: the open ones, the counters, the credentials (which
 * change at run time) and the fault switches. Thread-safe; each connection's own state stays on its
 * stream stage.
 */
public final class SimulatorState {
  private static final Logger log = LoggerFactory.getLogger(SimulatorState.class);
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
  final AtomicLong tokenExpiries = new AtomicLong();
  final SimulatorCredentials credentials;
  final Market market;
  private final Map<Integer, AtomicLong> authRefusals = new ConcurrentHashMap<>();

  /** Per token presented; the tokens stay in memory only, and are never listed. */
  private final Map<String, AtomicLong> authAttempts = new ConcurrentHashMap<>();

  /** Distinct tokens counted at most, so a client trying random tokens cannot grow it forever. */
  private static final int ATTEMPTS_LIMIT = 10_000;

  private final AtomicLong connectionIds = new AtomicLong();
  private final Map<Long, ConnectionHandle> open = new ConcurrentHashMap<>();

  /** Every authenticated connection since start, oldest first, up to {@link #TIMELINE_LIMIT}. */
  private final Deque<ConnectionHandle> history = new ConcurrentLinkedDeque<>();

  private static final int TIMELINE_LIMIT = 10_000;
  private AuthRefusal authRefusal;

  SimulatorState(SimulatorCredentials credentials, Market market) {
    this.credentials = credentials;
    this.market = market;
  }

  /**
   * What the simulator sent of {@code instrument}, minute by minute, oldest first, the forming
   * minute included (see {@link MinuteRecord} for the definitions); empty if never subscribed. The
   * intraday chart API answers the same.
   */
  public List<RecordedMinute> minutes(Instrument instrument) {
    return market.existing(instrument).map(walk -> walk.minutes().all()).orElse(List.of());
  }

  /**
   * Counters since start; {@code connectionsOpened} counts every WebSocket upgrade request (refused
   * handshakes included), {@code handshakesRefused} those answered with an HTTP error instead of
   * 101 by the {@code http_429} / {@code http_503} fault switch, {@code tokenExpiries} open
   * connections sent 807 because their token expired (expired by a call, or a JWT's {@code exp}
   * passed), and {@code authRefusalsByReason} the disconnect packets that refused a connection at
   * connect, by reason code (fault switch included).
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
      long badRequests,
      long tokenExpiries,
      Map<Integer, Long> authRefusalsByReason) {}

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
        badRequests.get(),
        tokenExpiries.get(),
        refusalsByReason());
  }

  private Map<Integer, Long> refusalsByReason() {
    Map<Integer, Long> byReason = new TreeMap<>();
    authRefusals.forEach((reason, count) -> byReason.put(reason, count.get()));
    return byReason;
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
    // Its token may have been expired after it authenticated but before this: expireToken, also
    // under this lock, did not see it then.
    if (credentials.isExpired(handle.token, Instant.now())) {
      handle.send(new ConnectionCommand.TokenExpired());
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

  // ---- credentials ----------------------------------------------------------------------

  /**
   * Adds a valid access token for {@code clientId} (a new client id if it is unknown), keeping its
   * other tokens valid, as the broker does when it issues the next day's token.
   *
   * @return how many valid tokens the client id now has
   */
  public int addCredential(String clientId, String token) {
    require(clientId, "clientId");
    require(token, "token");
    int valid = credentials.add(clientId, token, Instant.now());
    log.info("access token added for client {} ({} valid)", clientId, valid);
    return valid;
  }

  /**
   * Expires {@code token} now: new connections with it are refused with 807, and every open
   * connection that authenticated with it gets a disconnect packet with 807 and is closed.
   *
   * @return how many open connections were disconnected
   */
  public synchronized int expireToken(String token) {
    require(token, "token");
    credentials.expire(token);
    List<ConnectionHandle> targets =
        open.values().stream().filter(handle -> handle.token.equals(token)).toList();
    targets.forEach(handle -> handle.send(new ConnectionCommand.TokenExpired()));
    log.info("an access token was expired: {} open connections disconnected", targets.size());
    return targets.size();
  }

  /**
   * How many connection attempts presented {@code token} and reached authentication (attempts
   * refused by a {@code refuse-auth} fault switch never do).
   */
  public long authAttempts(String token) {
    AtomicLong count = authAttempts.get(token);
    return count == null ? 0 : count.get();
  }

  void countAuthAttempt(String token) {
    if (token == null || token.isEmpty()) {
      return;
    }
    AtomicLong count = authAttempts.get(token);
    if (count == null && authAttempts.size() < ATTEMPTS_LIMIT) {
      count = authAttempts.computeIfAbsent(token, t -> new AtomicLong());
    }
    if (count != null) {
      count.incrementAndGet();
    }
  }

  void countAuthRefusal(int reasonCode) {
    authFailures.incrementAndGet();
    authRefusals.computeIfAbsent(reasonCode, code -> new AtomicLong()).incrementAndGet();
  }

  /** The message names the argument only: a token must never appear in an answer or a log. */
  private static void require(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  // ---- fault switches ---------------------------------------------------------------------

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
