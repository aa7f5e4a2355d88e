package io.tickshard.simulator;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.Instrument;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The outside view of one authenticated feed connection: what the admin API lists, and the way to
 * send it commands (they run on the connection's own stream stage).
 */
final class ConnectionHandle {
  final long id;
  final String clientId;

  /**
   * The token this connection authenticated with, so that expiring a token finds its connections.
   * Kept in memory only: never listed, logged or written anywhere.
   */
  final String token;

  final Instant openedAt;
  final String remoteAddress;
  private final Consumer<ConnectionCommand> commands;
  private volatile Map<Instrument, FeedMode> subscriptions = Map.of();
  private final Set<Instrument> everSubscribed = ConcurrentHashMap.newKeySet();
  private volatile boolean stalled;
  private volatile Instant closedAt;

  ConnectionHandle(
      long id,
      String clientId,
      String token,
      Instant openedAt,
      String remoteAddress,
      Consumer<ConnectionCommand> commands) {
    this.id = id;
    this.clientId = clientId;
    this.token = token;
    this.openedAt = openedAt;
    this.remoteAddress = remoteAddress;
    this.commands = commands;
  }

  void send(ConnectionCommand command) {
    commands.accept(command);
  }

  Map<Instrument, FeedMode> subscriptions() {
    return subscriptions;
  }

  void publish(Map<Instrument, FeedMode> current, boolean isStalled) {
    this.subscriptions = Map.copyOf(current);
    this.everSubscribed.addAll(current.keySet());
    this.stalled = isStalled;
  }

  /** Every instrument this connection subscribed at some point. */
  Set<Instrument> everSubscribed() {
    return Set.copyOf(everSubscribed);
  }

  void closed(Instant at) {
    if (closedAt == null) {
      closedAt = at;
    }
  }

  Instant closedAt() {
    return closedAt;
  }

  boolean stalled() {
    return stalled;
  }
}
