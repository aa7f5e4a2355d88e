package io.tickshard.bench.client;

import io.tickshard.feed.FeedDecoder;
import io.tickshard.feed.FeedMode;
import io.tickshard.feed.FeedPacket;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.FrameListener;
import io.tickshard.feed.Instrument;
import io.tickshard.feed.QuotePacket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A plain WebSocket client of the broker's protocol (the JDK's, no Pekko), reading quotes straight
 * from the simulator: the baseline a viewer's latency is held against, and the feed of the baseline
 * SSE server.
 */
public final class FeedReader implements AutoCloseable {
  private final WebSocket socket;

  private FeedReader(WebSocket socket) {
    this.socket = socket;
  }

  /**
   * Connects with the simulator's default credentials and subscribes {@code instruments} in quote
   * mode; every quote goes to {@code onQuote}, on the socket's thread.
   */
  public static FeedReader open(
      String feedUrl, List<Instrument> instruments, Consumer<QuotePacket> onQuote)
      throws Exception {
    URI uri = URI.create(feedUrl + "?version=2&token=sim-token&clientId=sim-client&authType=2");
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(uri, new Listener(onQuote))
            .get(15, TimeUnit.SECONDS);
    for (FeedRequest request : FeedRequest.subscribe(FeedMode.QUOTE, instruments)) {
      socket.sendText(request.toJson(), true).get(10, TimeUnit.SECONDS);
    }
    return new FeedReader(socket);
  }

  @Override
  public void close() {
    socket.abort();
  }

  private static final class Listener implements WebSocket.Listener, FrameListener {
    private final FeedDecoder decoder = new FeedDecoder();
    private final Consumer<QuotePacket> onQuote;
    private ByteBuffer partial;

    Listener(Consumer<QuotePacket> onQuote) {
      this.onQuote = onQuote;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      if (partial == null && last) {
        decoder.decode(data, this);
      } else {
        ByteBuffer joined =
            ByteBuffer.allocate((partial == null ? 0 : partial.remaining()) + data.remaining());
        if (partial != null) {
          joined.put(partial);
        }
        joined.put(data).flip();
        partial = joined;
        if (last) {
          decoder.decode(partial, this);
          partial = null;
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void onPacket(FeedPacket packet) {
      if (packet instanceof QuotePacket quote) {
        onQuote.accept(quote);
      }
    }
  }
}
