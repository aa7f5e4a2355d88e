package io.tickshard.api;

import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.entity.StreamEntity;
import io.tickshard.streams.ticks.FeedNotice;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.TickBatch;
import io.tickshard.streams.ticks.ViewerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code GET /api/v1/streams/{key}/ticks}: Server-Sent Events, first a {@code snapshot} event (the
 * latest values per instrument), then a {@code tick} event per update, and a {@code : keep-alive}
 * comment line whenever no tick flowed for {@code sse-keep-alive}. A {@code feed} event says when
 * the stream's feed changes how it stands (reconnecting, lost with its node, running again, on
 * which node); a {@code stopped} event, with the reason, says it stopped, and the response ends.
 *
 * <p>Ticks come a batch at a time (what one broker message brought), handed to each viewer on the
 * node by its key's one subscriber ({@link io.tickshard.streams.ticks.ViewerTopics}), rendered once
 * per node and written to each viewer as one chunk. What waits for a viewer is kept in order while
 * it keeps up and conflated per instrument once it falls behind ({@link PendingEvents}): a slow
 * browser sees fewer, fresher ticks; it never slows the feed or any other viewer, and a viewer that
 * keeps up misses none.
 *
 * <p>Each viewer holds one of the node's {@link ViewerSeats} from the moment it is accepted until
 * its stream ends, however it ends; a viewer over the limit is answered 503 {@code
 * too-many-viewers}.
 */
final class TickEvents extends AllDirectives {
  private final StreamControl control;
  private final ViewerSeats seats;
  private final ApiMetrics metrics;
  private final RenderedTicks rendered = new RenderedTicks(4096, TickJson::event);

  /** How long a response may wait to be sent before its viewer is given up. */
  private final Duration unsentFor;

  /** Ends every viewer's stream, with a {@code leaving} event, when the node shuts down. */
  private final ViewersLeaving leaving;

  TickEvents(StreamControl control, ViewerSeats seats) {
    this.metrics = ApiMetrics.get(control.system());
    this.control = control;
    this.seats = seats;
    this.unsentFor =
        control
            .system()
            .settings()
            .config()
            .getDuration("pekko.stream.materializer.subscription-timeout.timeout");
    this.leaving =
        new ViewersLeaving(control.system(), control.settings().sseLeavingRetry(), seats::taken);
  }

  Route route(String keyText) {
    CompletionStage<StreamKey> named = control.key(keyText);
    control.requireReady();
    ViewerSeats.Seat seat = seats.take().orElseThrow(() -> Problem.tooManyViewers(seats.limit()));
    CompletionStage<Source<ByteString, NotUsed>> events;
    try {
      events =
          named.thenCompose(
              key ->
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
                            return subscribe(key, found.status(), seat);
                          }));
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
                        HttpEntities.create(MediaTypes.TEXT_EVENT_STREAM.toContentType(), source))
                    .addHeader(CacheControl.create(CacheDirectives.NO_CACHE))));
  }

  /** One event in the text/event-stream format; the JSON has no line breaks to split. */
  private static ByteString event(String name, Object data) {
    return ByteString.fromString("event: " + name + "\ndata: " + ApiJson.write(data) + "\n\n");
  }

  private static final ByteString KEEP_ALIVE = ByteString.fromString(": keep-alive\n\n");

  /**
   * The most bytes one HTTP chunk carries. A 5,000-instrument snapshot, or a burst of a big key, is
   * megabytes; clients and proxies limit a chunk (pekko-http's client to 1 MiB by default), and the
   * event stream reads the same cut anywhere.
   */
  static final int MAX_CHUNK = 64 * 1024;

  static List<ByteString> pieces(ByteString chunk) {
    if (chunk.size() <= MAX_CHUNK) {
      return List.of(chunk);
    }
    List<ByteString> pieces = new ArrayList<>(chunk.size() / MAX_CHUNK + 1);
    for (int at = 0; at < chunk.size(); at += MAX_CHUNK) {
      pieces.add(chunk.slice(at, Math.min(chunk.size(), at + MAX_CHUNK)));
    }
    return pieces;
  }

  private CompletionStage<Source<ByteString, NotUsed>> subscribe(
      StreamKey key, StreamStatus status, ViewerSeats.Seat seat) {
    ViewerFeed feed =
        new ViewerFeed(
            control.settings().sseBufferSize() + status.instruments(),
            closed -> {
              control.detach(key, closed);
              seat.giveBack();
            },
            metrics::viewerBehind);
    // Attached before asking for the snapshot, so no tick falls between the two, and a stop
    // after the status answer is either heard (a notice) or seen by the snapshot's answer.
    CompletionStage<Source<ByteString, NotUsed>> events =
        control
            .attach(key, status, feed)
            .thenCompose(
                attached ->
                    control
                        .snapshot(key)
                        // Slow to answer: no latest values, yet the viewer is attached, and a
                        // stop is a notice it hears.
                        .exceptionally(
                            failure ->
                                StreamEntity.SnapshotReply.running(List.of(), status.state())))
            .thenApply(
                snapshot -> {
                  if (snapshot.stopped() != null) {
                    feed.tell(snapshot.stopped());
                  }
                  // A response dropped unsent never starts its events: the feed closes itself.
                  control
                      .system()
                      .scheduler()
                      .scheduleOnce(
                          unsentFor, feed::abandonIfUnbound, control.system().executionContext());
                  return events(key, snapshot.ticks(), Source.fromGraph(new LiveEvents(feed)));
                });
    events.whenComplete(
        (source, failure) -> {
          if (failure != null) {
            feed.close();
          }
        });
    return events;
  }

  /**
   * What a viewer is sent: whatever waited while its connection was busy goes out as one chunk of
   * events, so a burst of ticks costs one write, and the stream has few stages, as a node carries
   * thousands of viewers (docs/benchmarks.md, capacity). A stop is the last event.
   */
  private Source<ByteString, NotUsed> events(
      StreamKey key, List<Tick> snapshot, Source<List<ViewerEvent>, NotUsed> live) {
    CompletableFuture<Void> firstTick = new CompletableFuture<>();
    Source<ByteString, NotUsed> updates =
        live.takeWhile(TickEvents::noStop, true).map(events -> render(events, firstTick));
    return leaving.endingWith(
        Source.single(event("snapshot", snapshot))
            .concat(again(key, updates, firstTick))
            // A comment line: proxies see traffic, browsers see no event.
            .keepAlive(control.settings().sseKeepAlive(), () -> KEEP_ALIVE)
            .mapConcat(TickEvents::pieces));
  }

  /**
   * After the first tick, a second snapshot. A node's topic for a key that had no viewer here is
   * known to the key's publisher only once the cluster receptionist has spread it, a moment after
   * the viewer subscribed; whatever was published meanwhile missed the viewer: above all the
   * previous closes, which the broker sends once, right after subscribing (the viewer who started
   * the stream, watching it at once, saw no change and % from them). The first tick heard shows the
   * topic is known; the snapshot then holds what was missed. (The first event may be a {@code feed}
   * one: the stream's state comes on another topic.)
   */
  private Source<ByteString, NotUsed> again(
      StreamKey key, Source<ByteString, NotUsed> updates, CompletableFuture<Void> firstTick) {
    Source<ByteString, NotUsed> snapshot =
        Source.completionStage(
                firstTick.thenCompose(
                    heard ->
                        control
                            .snapshot(key)
                            .thenApply(reply -> List.of(event("snapshot", reply.ticks())))
                            // Slow to answer: the first snapshot stands.
                            .exceptionally(failure -> List.<ByteString>of())))
            .mapConcat(events -> events)
            // Never done by itself: the viewer's stream ends when its updates end.
            .concat(Source.never());
    // Eager: the updates' end (a stop, the client gone) is the end, snapshot or not.
    return updates.merge(snapshot, true);
  }

  private static boolean noStop(List<ViewerEvent> events) {
    return events.stream().noneMatch(e -> e instanceof FeedNotice notice && notice.stopped());
  }

  /** The events, in order, as one chunk; a tick among them says the topic is known. */
  private ByteString render(List<ViewerEvent> events, CompletableFuture<Void> firstTick) {
    ByteString chunk = ByteString.emptyByteString();
    int ticks = 0;
    for (ViewerEvent event : events) {
      if (event instanceof FeedNotice notice) {
        if (notice.stopped()) {
          chunk = chunk.concat(event("stopped", FeedEventResponse.stopped(notice)));
          break; // the last event: the response ends with it
        }
        chunk = chunk.concat(event("feed", FeedEventResponse.feed(notice)));
      } else if (event instanceof TickBatch batch) {
        chunk = chunk.concat(rendered.events(batch));
        ticks += batch.size();
      }
    }
    if (ticks > 0) {
      metrics.ticksDelivered(ticks);
      firstTick.complete(null);
    }
    return chunk;
  }
}
