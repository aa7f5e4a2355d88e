package io.tickshard.streams.entity;

import io.tickshard.feed.Instrument;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.sharing.KeyListeners;
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
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * A key's lease on the account's sockets: which sockets carry its instruments, and how each of them
 * last said it stands. The key stands as its sockets do. Part of a {@link StreamRuntime}; used on
 * the entity's thread.
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
  private final Map<String, KeyListeners.Standing> heard = new TreeMap<>();
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

  void heard(KeyListeners.Standing update) {
    heard.put(update.socket(), update);
  }

  /**
   * Running when every socket is connected, else as the worst of them; ticks and reconnects summed
   * over them, the heartbeat the oldest of theirs. Starting until every socket has been heard.
   */
  Standing standing() {
    if (sockets.isEmpty() || !heard.keySet().containsAll(sockets)) {
      return new Standing(StreamState.STARTING, 0, null, null, 0, null);
    }
    long ticks = 0;
    Instant lastTickAt = null;
    Instant heartbeatAt = null;
    int reconnects = 0;
    StreamState worst = StreamState.RUNNING;
    String error = null;
    for (KeyListeners.Standing socket : heard.values()) {
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
      } else if (worst == StreamState.RUNNING && error == null) {
        error = socket.lastError(); // the last problem of a socket that runs again
      }
    }
    return new Standing(worst, ticks, lastTickAt, heartbeatAt, reconnects, error);
  }

  /**
   * The key's live figures from its sockets (for a status answer); a socket that does not answer in
   * time counts with the figures it last sent.
   */
  CompletionStage<UpstreamSocket.Figures> figures(StreamKey key) {
    List<CompletableFuture<UpstreamSocket.Figures>> asks = new ArrayList<>();
    for (String socket : sockets) {
      KeyListeners.Standing last = heard.get(socket);
      UpstreamSocket.Figures known =
          last == null
              ? new UpstreamSocket.Figures(0, null, 0)
              : new UpstreamSocket.Figures(last.ticks(), last.lastTickAt(), last.reconnects());
      asks.add(
          this.<UpstreamSocket.Figures>ask(
                  socket, reply -> new UpstreamSocket.GetFigures(key, reply))
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
    for (String socket : sockets) {
      try {
        socket(socket).tell(new UpstreamSocket.RestartConnection(reason));
      } catch (RuntimeException e) {
        // No socket region here (yet): nothing to restart.
      }
    }
  }

  /** Each socket's latest values of the key's instruments, in its mode, in the key's order. */
  void snapshot(StreamSpec spec, StreamState state, ActorRef<StreamEntity.SnapshotReply> replyTo) {
    List<Instrument> instruments = spec.key().instruments();
    List<CompletableFuture<UpstreamSocket.SnapshotReply>> asks = new ArrayList<>();
    for (String socket : sockets) {
      asks.add(
          this.<UpstreamSocket.SnapshotReply>ask(
                  socket, reply -> new UpstreamSocket.GetSnapshot(instruments, spec.mode(), reply))
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

  /** An ask of one socket; a socket region not (yet) there fails the ask, not the entity. */
  private <R> CompletableFuture<R> ask(
      String id, Function<ActorRef<R>, UpstreamSocket.Command> message) {
    try {
      return socket(id).ask(message::apply, askTimeout).toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }
}
