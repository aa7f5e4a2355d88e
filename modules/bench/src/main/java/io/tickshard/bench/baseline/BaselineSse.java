package io.tickshard.bench.baseline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tickshard.bench.client.FeedReader;
import io.tickshard.bench.client.KeyLayout;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.QuotePacket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The fan-out baseline: a bare pekko-http SSE endpoint, {@code GET /ticks/{key}}, broadcasting the
 * quotes of one plain WebSocket connection to the simulator. Each quote is written once and sent to
 * every viewer of its key through a broadcast hub, each viewer behind a buffer of its own that
 * drops the oldest when it is slow: what tickshard does for a viewer, minus the cluster, the stream
 * entity, the topic and the per-instrument conflation.
 */
final class BaselineSse extends AllDirectives {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private static final int VIEWER_BUFFER = 256;

  private final KeyLayout layout;
  private final List<BoundedSourceQueue<ByteString>> inlets = new ArrayList<>();
  private final List<Source<ByteString, NotUsed>> hubs = new ArrayList<>();

  BaselineSse(ActorSystem system, KeyLayout layout) {
    this.layout = layout;
    for (int k = 0; k < layout.keys(); k++) {
      Pair<BoundedSourceQueue<ByteString>, Source<ByteString, NotUsed>> hub =
          Source.<ByteString>queue(1024)
              .toMat(BroadcastHub.of(ByteString.class, 256), Keep.both())
              .run(system);
      inlets.add(hub.first());
      hubs.add(hub.second());
      // Drains the hub while nobody watches, so a first viewer gets live ticks, not a backlog.
      hub.second().runWith(Sink.ignore(), system);
    }
  }

  FeedReader connect(String feedUrl) throws Exception {
    List<Instrument> instruments =
        layout.allIds().stream().map(id -> Instrument.of(ExchangeSegment.NSE_EQ, id)).toList();
    return FeedReader.open(feedUrl, instruments, this::onQuote);
  }

  private void onQuote(QuotePacket quote) {
    int key = layout.keyOf(quote.securityId());
    if (key < 0) {
      return;
    }
    try {
      String json = JSON.writeValueAsString(BaselineTick.of(quote, Instant.now()));
      inlets.get(key).offer(ByteString.fromString("event: tick\ndata: " + json + "\n\n"));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  Route route() {
    return pathPrefix(
        "ticks",
        () ->
            path(
                PathMatchers.integerSegment(),
                key ->
                    key < 0 || key >= hubs.size()
                        ? complete(StatusCodes.NOT_FOUND, "no such key")
                        : complete(
                            HttpResponse.create()
                                .withEntity(
                                    HttpEntities.create(
                                        MediaTypes.TEXT_EVENT_STREAM.toContentType(),
                                        hubs.get(key)
                                            .buffer(VIEWER_BUFFER, OverflowStrategy.dropHead())
                                            .keepAlive(
                                                Duration.ofSeconds(15),
                                                () ->
                                                    ByteString.fromString(": keep-alive\n\n")))))));
  }
}
