package io.tickshard.streams;

import io.tickshard.feed.Instrument;
import io.tickshard.streams.sharing.UpstreamSocket;
import io.tickshard.streams.ticks.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * A key's lease on the shared sockets ({@code shared} mode): which sockets carry its instruments,
 * and how each of them last said it stands. The key stands as its sockets do. Part of a {@link
 * StreamRuntime}; used on the entity's thread.
 */
final class SocketLease {

  /** The key's figures, as its sockets make them. */
  record Standing(
      StreamState state,
      long ticks,
      Instant lastTickAt,
      Instant heartbeatAt,
      int reconnects,
      String lastError) {}

  private final ActorSystem<?> system;
  private final Duration askTimeout;
  private final Map<String, StreamEntity.SocketUpdated> heard = new TreeMap<>();
  private List<String> sockets;

  SocketLease(ActorSystem<?> system, Duration askTimeout) {
    this.system = system;
    this.askTimeout = askTimeout;
  }

  /** Null until the registry placed the key. */
  List<String> sockets() {
    return sockets;
  }

  boolean placed() {
    return sockets != null;
  }

  /** Placed on these sockets; what they said before (they may hear of the key first) stays. */
  void placedOn(List<String> granted) {
    sockets = List.copyOf(granted);
    heard.keySet().retainAll(sockets);
  }

  void heard(StreamEntity.SocketUpdated update) {
    heard.put(update.socket(), update);
  }

  /**
   * Running when every socket is connected, else as the worst of them; ticks and reconnects summed
   * over them, the heartbeat the oldest of theirs. Starting until every socket has been heard.
   */
  Standing standing() {
    if (!heard.keySet().containsAll(sockets)) {
      return new Standing(StreamState.STARTING, 0, null, null, 0, null);
    }
    long ticks = 0;
    Instant lastTickAt = null;
    Instant heartbeatAt = null;
    int reconnects = 0;
    StreamState worst = StreamState.RUNNING;
    String error = null;
    for (StreamEntity.SocketUpdated socket : heard.values()) {
      ticks += socket.ticks();
      lastTickAt = later(lastTickAt, socket.lastTickAt());
      if (socket.heartbeatAt() != null
          && (heartbeatAt == null || socket.heartbeatAt().isBefore(heartbeatAt))) {
        heartbeatAt = socket.heartbeatAt();
      }
      reconnects += socket.reconnects();
      if (socket.state() != StreamState.RUNNING && worst == StreamState.RUNNING) {
        worst = socket.state();
        error = socket.lastError();
      }
    }
    return new Standing(worst, ticks, lastTickAt, heartbeatAt, reconnects, error);
  }

  /**
   * The key's live figures from its sockets (for a status answer); a socket that does not answer in
   * time counts with the figures it last sent.
   */
  CompletionStage<UpstreamSocket.Figures> figures(String key) {
    List<CompletableFuture<UpstreamSocket.Figures>> asks = new ArrayList<>();
    for (String socket : sockets) {
      StreamEntity.SocketUpdated last = heard.get(socket);
      UpstreamSocket.Figures known =
          last == null
              ? new UpstreamSocket.Figures(0, null, 0)
              : new UpstreamSocket.Figures(last.ticks(), last.lastTickAt(), last.reconnects());
      asks.add(
          socket(socket)
              .<UpstreamSocket.Figures>ask(
                  reply -> new UpstreamSocket.GetFigures(key, reply), askTimeout)
              .toCompletableFuture()
              .exceptionally(failure -> known));
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              long ticks = 0;
              Instant lastTickAt = null;
              int reconnects = 0;
              for (CompletableFuture<UpstreamSocket.Figures> ask : asks) {
                UpstreamSocket.Figures figures = ask.join();
                ticks += figures.ticks();
                lastTickAt = later(lastTickAt, figures.lastTickAt());
                reconnects += figures.reconnects();
              }
              return new UpstreamSocket.Figures(ticks, lastTickAt, reconnects);
            });
  }

  /** The health check's remedy: each socket drops its connection and connects again. */
  void restart(String reason) {
    sockets.forEach(socket -> socket(socket).tell(new UpstreamSocket.RestartConnection(reason)));
  }

  /** Each socket's latest values of the key's instruments, in its mode, in the key's order. */
  void snapshot(StreamSpec spec, StreamState state, ActorRef<StreamEntity.SnapshotReply> replyTo) {
    List<Instrument> instruments = spec.key().instruments();
    List<CompletableFuture<UpstreamSocket.SnapshotReply>> asks = new ArrayList<>();
    for (String socket : sockets) {
      asks.add(
          socket(socket)
              .<UpstreamSocket.SnapshotReply>ask(
                  reply -> new UpstreamSocket.GetSnapshot(instruments, spec.mode(), reply),
                  askTimeout)
              .toCompletableFuture()
              .exceptionally(failure -> new UpstreamSocket.SnapshotReply(List.of())));
    }
    CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .whenComplete(
            (done, failure) -> {
              Map<Instrument, Tick> first = new HashMap<>();
              List<Tick> more = new ArrayList<>();
              for (CompletableFuture<UpstreamSocket.SnapshotReply> ask : asks) {
                for (Tick tick : ask.join().ticks()) {
                  if (first.putIfAbsent(tick.instrument(), tick) != null) {
                    more.add(tick); // a derivative's OI tick beside its quote
                  }
                }
              }
              List<Tick> ordered = new ArrayList<>();
              instruments.stream().map(first::get).filter(Objects::nonNull).forEach(ordered::add);
              ordered.addAll(more);
              replyTo.tell(StreamEntity.SnapshotReply.running(ordered, state));
            });
  }

  private EntityRef<UpstreamSocket.Command> socket(String id) {
    return ClusterSharding.get(system).entityRefFor(UpstreamSocket.TYPE_KEY, id);
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }
}
