package io.tickshard.streams.upstream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.pekko.util.ByteString;

/**
 * One broker WebSocket for a {@link FeedConnection}, on the JDK's client ({@code java.net.http}):
 * binary frames in, JSON requests out, and the handshake's outcome told before the socket's end.
 *
 * <p>Not pekko-http's client: that one turns every WebSocket message into a substream of its own
 * (split, prefix-and-tail, flatten), which cost a third of the socket node's CPU at 20,000 ticks a
 * second, the broker sending one packet per message (docs/benchmarks.md, tick latency). The JDK's
 * client hands over each message's bytes as they are read, and answers pings by itself.
 */
final class FeedSocket {
  /** Requests queued and not yet written beyond which a send is refused, as a full queue. */
  static final int MAX_PENDING_SENDS = 256;

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  /** How a send went. */
  enum Sent {
    QUEUED,
    /** Too many requests wait to be written: the socket is not keeping up. */
    FULL,
    /** The socket has ended, or its requests were ended. */
    ENDED
  }

  /**
   * The handshake's outcome: {@code status} 101 with no {@code problem} is an open socket; a 101
   * with a problem is one whose upgrade headers were wrong.
   */
  record Handshake(int status, String problem) {
    boolean accepted() {
      return status == 101 && problem == null;
    }
  }

  private final CompletableFuture<Throwable> ended = new CompletableFuture<>();
  private final CompletableFuture<WebSocket> socket = new CompletableFuture<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Consumer<Handshake> handshake;
  private final Consumer<Throwable> connectFailed;
  private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
  private boolean requestsEnded;
  private boolean settled;
  private volatile CompletableFuture<WebSocket> building;

  private FeedSocket(Consumer<Handshake> handshake, Consumer<Throwable> connectFailed) {
    this.handshake = handshake;
    this.connectFailed = connectFailed;
  }

  /**
   * Opens the socket to {@code uri} (which holds the token: never log it). Whole frames reach
   * {@code frames} in order; the handshake's outcome reaches {@code handshake} or {@code
   * connectFailed} once, and always before {@link #ended()} completes.
   */
  static FeedSocket open(
      URI uri,
      Duration connectTimeout,
      Consumer<ByteString> frames,
      Consumer<Handshake> handshake,
      Consumer<Throwable> connectFailed) {
    FeedSocket feed = new FeedSocket(handshake, connectFailed);
    feed.building =
        CLIENT
            .newWebSocketBuilder()
            .connectTimeout(connectTimeout)
            .buildAsync(uri, feed.new Listener(frames));
    feed.building.whenComplete(feed::settle);
    // The connect timeout covers the TCP connection; this, a handshake never answered.
    CompletableFuture.delayedExecutor(connectTimeout.toMillis() * 2, TimeUnit.MILLISECONDS)
        .execute(
            () ->
                feed.settle(
                    null,
                    new HttpTimeoutException(
                        "the feed handshake was not answered in "
                            + connectTimeout.multipliedBy(2))));
    return feed;
  }

  /** The handshake's outcome, or its timeout: whichever comes first is told, once. */
  private synchronized void settle(WebSocket webSocket, Throwable failure) {
    if (settled) {
      if (webSocket != null) {
        webSocket.abort(); // late, after a timeout or an abort: nobody reads it
      }
      return;
    }
    settled = true;
    if (failure == null) {
      handshake.accept(new Handshake(101, null));
      socket.complete(webSocket);
      return;
    }
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof WebSocketHandshakeException refused && refused.getResponse() != null) {
      int status = refused.getResponse().statusCode();
      handshake.accept(
          new Handshake(status, status == 101 ? "the upgrade headers are wrong" : null));
    } else {
      connectFailed.accept(cause);
    }
    socket.completeExceptionally(cause);
    ended.complete(cause);
  }

  /** Completes when the socket ended, with its failure or null (closed, or aborted from here). */
  CompletionStage<Throwable> ended() {
    return ended;
  }

  /** Queues a text request behind the ones before it (the JDK's client writes one at a time). */
  synchronized Sent send(String json) {
    if (requestsEnded || ended.isDone()) {
      return Sent.ENDED;
    }
    if (pending.get() >= MAX_PENDING_SENDS) {
      return Sent.FULL;
    }
    pending.incrementAndGet();
    lastSend =
        lastSend
            .thenCompose(previous -> socket)
            .thenCompose(webSocket -> webSocket.sendText(json, true))
            .whenComplete(
                (sent, failure) -> {
                  pending.decrementAndGet();
                  if (failure != null) {
                    sendFailed(failure);
                  }
                });
    return Sent.QUEUED;
  }

  /**
   * A request that could not be written leaves the broker's view of the subscription unknown, and
   * every request queued behind it would fail unsent: the socket ends with the failure, and the
   * next connect subscribes the whole set.
   */
  private synchronized void sendFailed(Throwable failure) {
    if (ended.isDone()) {
      return; // the socket ended first: that is why the request failed
    }
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    requestsEnded = true;
    socket.thenAccept(WebSocket::abort);
    ended.complete(cause);
  }

  /**
   * No more requests: once the queued ones are written, a Close frame; the broker's Close in answer
   * ends the socket.
   */
  synchronized void endRequests() {
    if (requestsEnded) {
      return;
    }
    requestsEnded = true;
    lastSend
        .thenCompose(previous -> socket)
        .thenCompose(webSocket -> webSocket.sendClose(WebSocket.NORMAL_CLOSURE, ""));
  }

  /** Ends the socket from this side at once; the end is told with no failure. */
  synchronized void abort() {
    settled = true;
    requestsEnded = true;
    socket.thenAccept(WebSocket::abort);
    socket.cancel(false);
    if (building != null) {
      building.cancel(true);
    }
    ended.complete(null);
  }

  private final class Listener implements WebSocket.Listener {
    private final Consumer<ByteString> frames;
    private ByteString partial = ByteString.emptyByteString();

    Listener(Consumer<ByteString> frames) {
      this.frames = frames;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      // Copied: the client reuses the buffer once this returns.
      ByteString bytes = ByteString.fromByteBuffer(data);
      if (last) {
        ByteString frame = partial.isEmpty() ? bytes : partial.concat(bytes);
        partial = ByteString.emptyByteString();
        if (!frame.isEmpty()) {
          frames.accept(frame);
        }
      } else {
        partial = partial.concat(bytes);
      }
      webSocket.request(1);
      return null;
    }

    /** The broker sends no text: read and dropped. */
    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      ended.complete(null);
      return null; // the client answers the Close with its own
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      ended.complete(error);
    }
  }
}
