package io.tickshard.api;

import io.tickshard.feed.Instrument;
import io.tickshard.streams.StreamEntity;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.ticks.Tick;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;
import org.apache.pekko.util.ByteString;

/**
 * {@code GET /api/v1/streams/{key}/ticks}: Server-Sent Events, first a {@code snapshot} event (the
 * latest values per instrument), then a {@code tick} event per update, and a {@code : keep-alive}
 * comment line whenever no tick flowed for {@code sse-keep-alive}.
 *
 * <p>Each viewer has its own bounded buffer behind the topic, and updates are conflated per
 * instrument while the viewer is slow: a slow browser sees fewer, fresher ticks; it never slows the
 * feed or any other viewer.
 *
 * <p>Each viewer holds one of the node's {@link ViewerSeats} from the moment it is accepted until
 * its stream ends, however it ends; a viewer over the limit is answered 503 {@code
 * too-many-viewers}.
 */
final class TickEvents extends AllDirectives {
  private final StreamControl control;
  private final ViewerSeats seats;
  private final ApiMetrics metrics;

  /**
   * Ends every viewer's stream when the node shuts down, once its port is unbound: a browser sees
   * the stream end and reconnects (to another node), where a cut connection would only be logged.
   */
  private final SharedKillSwitch ending = KillSwitches.shared("tick-viewers");

  TickEvents(StreamControl control, ViewerSeats seats) {
    this.metrics = ApiMetrics.get(control.system());
    this.control = control;
    this.seats = seats;
    CoordinatedShutdown.get(control.system())
        .addTask(
            CoordinatedShutdown.PhaseServiceRequestsDone(),
            "end-tick-viewers",
            () -> {
              ending.shutdown();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
  }

  Route route(String keyText) {
    StreamKey key = StreamRequest.parseKey(keyText);
    control.requireReady();
    ViewerSeats.Seat seat = seats.take().orElseThrow(() -> Problem.tooManyViewers(seats.limit()));
    CompletionStage<Source<String, NotUsed>> events;
    try {
      events =
          control
              .status(key)
              .thenCompose(
                  reply -> {
                    if (!(reply instanceof StreamEntity.Found found)) {
                      throw Problem.streamNotFound(key.value());
                    }
                    if (found.status().state() == StreamState.STOPPED) {
                      throw Problem.streamNotRunning(key.value());
                    }
                    return control.topic(key);
                  })
              .thenCompose(topic -> subscribe(key, topic, seat));
    } catch (RuntimeException failure) {
      seat.giveBack();
      throw failure;
    }
    // No stream to end: the seat goes back now. Once there is one, its end gives it back.
    events.whenComplete(
        (source, failure) -> {
          if (failure != null) {
            seat.giveBack();
          }
        });
    return onSuccess(
        events,
        source ->
            complete(
                HttpResponse.create()
                    .withEntity(
                        HttpEntities.create(
                            MediaTypes.TEXT_EVENT_STREAM.toContentType(),
                            source.map(ByteString::fromString)))
                    .addHeader(CacheControl.create(CacheDirectives.NO_CACHE))));
  }

  /** One event in the text/event-stream format; the JSON has no line breaks to split. */
  private static String event(String name, Object data) {
    return "event: " + name + "\ndata: " + ApiJson.write(data) + "\n\n";
  }

  private CompletionStage<Source<String, NotUsed>> subscribe(
      StreamKey key, ActorRef<Topic.Command<Tick>> topic, ViewerSeats.Seat seat) {
    // Subscribe before asking for the snapshot, so no tick falls between the two.
    Pair<ActorRef<Tick>, Source<Tick, NotUsed>> live =
        ActorSource.<Tick>actorRef(
                tick -> false,
                tick -> Optional.empty(),
                control.settings().sseBufferSize(),
                OverflowStrategy.dropHead())
            // Watched here, before it is pre-materialized, its end covers every way out: the
            // client closes, the node stops, or a response dropped unsent (its source never
            // subscribed is cancelled after pekko.stream.materializer.subscription-timeout).
            .watchTermination(
                (viewer, ended) -> {
                  ended.whenComplete((done, failure) -> seat.giveBack());
                  return viewer;
                })
            .preMaterialize(control.system());
    // Never Topic.unsubscribe: the topic watches the subscriber, whose actor stops with the
    // stream. Unsubscribing as well races that Terminated, and a topic that sees both for its last
    // subscriber deregisters twice, which makes Pekko's cluster receptionist throw and stop for
    // the whole node (no topic here would find a publisher again).
    topic.tell(Topic.subscribe(live.first()));
    return control
        .snapshot(key)
        .exceptionally(failure -> List.of())
        .thenApply(snapshot -> events(snapshot, live));
  }

  private Source<String, NotUsed> events(
      List<Tick> snapshot, Pair<ActorRef<Tick>, Source<Tick, NotUsed>> live) {
    Source<String, NotUsed> ticks =
        live.second()
            .conflateWithSeed(
                tick -> {
                  Map<Instrument, Tick> latest = new LinkedHashMap<>();
                  latest.put(tick.instrument(), tick);
                  return latest;
                },
                (latest, tick) -> {
                  latest.merge(tick.instrument(), tick, (older, newer) -> newer.over(older));
                  return latest;
                })
            .mapConcat(latest -> new ArrayList<>(latest.values()))
            .map(
                tick -> {
                  metrics.tickDelivered();
                  return event("tick", tick);
                });
    return Source.single(event("snapshot", snapshot))
        .concat(ticks)
        // A comment line: proxies see traffic, browsers see no event.
        .keepAlive(control.settings().sseKeepAlive(), () -> ": keep-alive\n\n")
        .via(ending.flow());
  }
}
