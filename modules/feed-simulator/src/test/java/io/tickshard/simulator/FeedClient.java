package io.tickshard.simulator;

import io.tickshard.feed.FeedDecoder;
import io.tickshard.feed.FeedPacket;
import io.tickshard.feed.FeedRequest;
import io.tickshard.feed.FrameListener;
import io.tickshard.feed.MalformedFrame;
import io.tickshard.feed.SkippedPacket;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (the JDK's, which answers pings by itself) that decodes every binary
 * frame it receives, for tests.
 */
final class FeedClient implements AutoCloseable {
  /** RFC 6455's code for "ended without a close frame"; never sent on the wire. */
  static final int ABNORMAL_CLOSURE = 1006;

  final List<Integer> frameSizes = new CopyOnWriteArrayList<>();
  final List<FeedPacket> packets = new CopyOnWriteArrayList<>();
  final List<SkippedPacket> skipped = new CopyOnWriteArrayList<>();
  final List<MalformedFrame> malformed = new CopyOnWriteArrayList<>();
  final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private FeedClient(WebSocket socket) {
    this.socket = socket;
  }

  static FeedClient connect(URI url) {
    return connectAsync(url).join();
  }

  static CompletableFuture<FeedClient> connectAsync(URI url) {
    Listener listener = new Listener();
    return HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .buildAsync(url, listener)
        .thenApply(
            socket -> {
              FeedClient client = new FeedClient(socket);
              listener.attach(client);
              return client;
            });
  }

  void send(FeedRequest request) {
    socket.sendText(request.toJson(), true).join();
  }

  void send(List<FeedRequest> requests) {
    requests.forEach(this::send);
  }

  void sendText(String text) {
    socket.sendText(text, true).join();
  }

  void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  boolean isOpen() {
    return !closed.isDone();
  }

  /** The close code the server sent, or 1006 when the socket ended without one. */
  int awaitClose() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
    }
    socket.abort();
  }

  private static final class Listener implements WebSocket.Listener {
    private final FeedDecoder decoder = new FeedDecoder();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile FeedClient client;
    private final CompletableFuture<FeedClient> attached = new CompletableFuture<>();

    void attach(FeedClient feedClient) {
      this.client = feedClient;
      attached.complete(feedClient);
    }

    private FeedClient client() {
      return client != null ? client : attached.join();
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      partial.write(bytes, 0, bytes.length);
      if (last) {
        byte[] frame = partial.toByteArray();
        partial.reset();
        FeedClient target = client();
        target.frameSizes.add(frame.length);
        decoder.decode(
            frame,
            new FrameListener() {
              @Override
              public void onPacket(FeedPacket packet) {
                target.packets.add(packet);
              }

              @Override
              public void onSkipped(SkippedPacket packet) {
                target.skipped.add(packet);
              }

              @Override
              public void onMalformed(MalformedFrame frameError) {
                target.malformed.add(frameError);
              }
            });
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      client().closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      FeedClient target = client;
      if (target != null) {
        target.closed.complete(ABNORMAL_CLOSURE);
      } else {
        attached.thenAccept(c -> c.closed.complete(ABNORMAL_CLOSURE));
      }
    }
  }
}
