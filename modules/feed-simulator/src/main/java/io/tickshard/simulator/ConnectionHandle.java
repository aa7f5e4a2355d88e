package io.tickshard.simulator;

import io.tickshard.feed.FeedMode;
import io.tickshard.feed.Instrument;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The outside view of one authenticated feed connection: what the admin API lists, and the way to
 * send it commands (they run on the connection's own stream stage).
 */
final class ConnectionHandle {
  final long id;
  final String clientId;
  final Instant openedAt;
  final String remoteAddress;
  private final Consumer<ConnectionCommand> commands;
  private volatile Map<Instrument, FeedMode> subscriptions = Map.of();
  private volatile boolean stalled;

  ConnectionHandle(
      long id,
      String clientId,
      Instant openedAt,
      String remoteAddress,
      Consumer<ConnectionCommand> commands) {
    this.id = id;
    this.clientId = clientId;
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
    this.stalled = isStalled;
  }

  boolean stalled() {
    return stalled;
  }
}
