package io.tickshard.streams.sharing;

import io.tickshard.feed.Instrument;
import io.tickshard.streams.LogFields;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.ticks.TickTopic;
import io.tickshard.streams.upstream.TickSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The keys riding on one socket slot: a tick topic each, the routing of ticks to them ({@link
 * SocketRoutes}), their figures, and telling them how the socket stands. Part of an {@link
 * UpstreamSocket}, on its thread.
 */
final class SocketKeys {
  private final ActorContext<UpstreamSocket.Command> context;
  private final String socketId;
  private final String label;
  private final String node;
  private final KeyListeners listeners;
  private final SocketRoutes routes = new SocketRoutes();
  private final Map<StreamKey, SocketRoutes.Outlet> outlets = new TreeMap<>();

  SocketKeys(
      ActorContext<UpstreamSocket.Command> context,
      String socketId,
      String label,
      String node,
      KeyListeners listeners) {
    this.context = context;
    this.socketId = socketId;
    this.label = label;
    this.node = node;
    this.listeners = listeners;
  }

  /** Where the connection publishes: to each key that needs the instrument. */
  TickSink sink() {
    return routes.sink();
  }

  int size() {
    return outlets.size();
  }

  /**
   * A key rides here (again): its instruments here are those of it the socket carries. A key placed
   * again as it was (it moved to another node) hears at once how the socket stands.
   */
  void join(SocketWire.Route route, Map<Instrument, ?> carried, Standing standing) {
    StreamKey key = route.key();
    SocketRoutes.Outlet known = outlets.get(key);
    List<Instrument> here = key.instruments().stream().filter(carried::containsKey).toList();
    if (known != null && known.mode == route.mode() && known.instruments.equals(here)) {
      tell(known, standing);
      return;
    }
    SocketRoutes.Outlet outlet =
        new SocketRoutes.Outlet(
            key,
            route.mode(),
            here,
            known != null ? known.topic : context.spawnAnonymous(TickTopic.create(key)));
    outlets.put(key, outlet);
    if (known == null) {
      log(
          key,
          "carries stream "
              + key.label()
              + " ("
              + here.size()
              + " of its instruments, "
              + route.mode().wireName()
              + " mode)");
    }
    tell(outlet, standing);
  }

  void leave(StreamKey key) {
    SocketRoutes.Outlet outlet = outlets.remove(key);
    if (outlet != null) {
      context.stop(outlet.topic);
      log(key, "no longer carries stream " + key.label());
    }
  }

  /** Only {@code wanted} ride here now. */
  void keepOnly(Set<StreamKey> wanted) {
    List.copyOf(outlets.keySet()).stream()
        .filter(key -> !wanted.contains(key))
        .forEach(this::leave);
  }

  /** Ticks go to the keys as they now stand. */
  void reroute() {
    routes.replace(outlets.values());
  }

  void tellAll(Standing standing) {
    outlets.values().forEach(outlet -> tell(outlet, standing));
  }

  /** The keys' live figures here, for the registry's listing. */
  List<RegistryLink.KeyFigures> figures() {
    List<RegistryLink.KeyFigures> figures = new ArrayList<>(outlets.size());
    outlets.forEach(
        (key, outlet) ->
            figures.add(new RegistryLink.KeyFigures(key, outlet.ticks(), outlet.lastTickAt())));
    return figures;
  }

  UpstreamSocket.Figures figuresOf(StreamKey key, int reconnects) {
    SocketRoutes.Outlet outlet = outlets.get(key);
    return outlet == null
        ? new UpstreamSocket.Figures(0, null, reconnects)
        : new UpstreamSocket.Figures(outlet.ticks(), outlet.lastTickAt(), reconnects);
  }

  /** How the socket stands, to be told to a key with its own figures. */
  record Standing(StreamState state, Instant heartbeatAt, String lastError, int reconnects) {}

  private void tell(SocketRoutes.Outlet outlet, Standing standing) {
    listeners.tell(
        outlet.key,
        new KeyListeners.Standing(
            socketId,
            standing.state(),
            standing.heartbeatAt(),
            standing.lastError(),
            outlet.ticks(),
            outlet.lastTickAt(),
            standing.reconnects()));
  }

  private void log(StreamKey key, String what) {
    try (LogFields.Scope fields = LogFields.about(key, node)) {
      context.getLog().info("{} on {}: {}", label, node, what);
    }
  }
}
