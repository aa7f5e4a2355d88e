package io.tickshard.streams.upstream;

import io.tickshard.feed.FeedRequest;
import io.tickshard.streams.broker.BrokerCredentials;
import io.tickshard.streams.upstream.FeedConnection.Command;
import io.tickshard.streams.upstream.FeedConnection.ConnectFailed;
import io.tickshard.streams.upstream.FeedConnection.FramesArrived;
import io.tickshard.streams.upstream.FeedConnection.SocketEvent;
import io.tickshard.streams.upstream.FeedConnection.StreamEnded;
import io.tickshard.streams.upstream.FeedConnection.Upgraded;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.util.ByteString;

/**
 * One socket as its connection sees it: the transport, the generation its messages carry, the
 * credentials it went out with, and what has arrived on it so far. It lives as long as the socket:
 * a reconnect is a new one, so nothing it heard carries over.
 */
final class FeedLink {
  /**
   * Generations are unique in the JVM, not per actor: a connection restarted by its supervisor is
   * the same actor, and its first socket must not take the aborted socket's end for its own.
   */
  private static final AtomicLong GENERATIONS = new AtomicLong();

  private final long generation;
  private final BrokerCredentials credentials;
  private final FeedSocket socket;

  /**
   * Frames in from the socket's thread, out on the connection's; {@code announced} while a {@link
   * FramesArrived} is on its way, so a burst of frames costs the actor one message, and what one
   * burst brings for a key travels on as one batch (docs/architecture.md, journey 1).
   */
  private final Queue<ByteString> frames;

  private final AtomicBoolean announced;
  private Instant lastFrameAt;
  private Integer disconnectCode;

  private FeedLink(
      long generation,
      BrokerCredentials credentials,
      FeedSocket socket,
      Queue<ByteString> frames,
      AtomicBoolean announced) {
    this.generation = generation;
    this.credentials = credentials;
    this.socket = socket;
    this.frames = frames;
    this.announced = announced;
  }

  /** Opens a socket with the broker's credentials of the moment; its news comes to the actor. */
  static FeedLink open(FeedContext feed) {
    long generation = GENERATIONS.incrementAndGet();
    BrokerCredentials credentials = feed.broker.forConnect();
    ActorRef<Command> self = feed.actor.getSelf();
    Queue<ByteString> frames = new ConcurrentLinkedQueue<>();
    AtomicBoolean announced = new AtomicBoolean();
    FeedSocket socket =
        FeedSocket.open(
            feed.settings.connectUri(credentials),
            feed.settings.connectTimeout(),
            bytes -> {
              frames.add(bytes);
              if (announced.compareAndSet(false, true)) {
                self.tell(new FramesArrived(generation));
              }
            },
            handshake -> self.tell(new Upgraded(generation, handshake)),
            failure -> self.tell(new ConnectFailed(generation, failure)));
    feed.actor.pipeToSelf(
        socket.ended(), (failure, unexpected) -> new StreamEnded(generation, failure));
    return new FeedLink(generation, credentials, socket, frames, announced);
  }

  /** Whether {@code event} came from this socket (and not from an earlier one). */
  boolean told(SocketEvent event) {
    return event.generation() == generation;
  }

  /**
   * Hands over every frame that has arrived, in order. Announced again from the first one that
   * arrives after this starts: none waits unannounced (one announced while this ran finds nothing).
   */
  void takeFrames(Consumer<ByteString> decode) {
    announced.set(false);
    for (ByteString frame = frames.poll(); frame != null; frame = frames.poll()) {
      decode.accept(frame);
    }
  }

  BrokerCredentials credentials() {
    return credentials;
  }

  void frameAt(Instant at) {
    lastFrameAt = at;
  }

  Instant lastFrameAt() {
    return lastFrameAt;
  }

  void disconnectedWith(int reasonCode) {
    disconnectCode = reasonCode;
  }

  /** What the end of this socket means, from the disconnect packet before it, if any. */
  FeedVerdict ended(Throwable cause) {
    return FeedVerdict.ofEnd(disconnectCode, cause == null ? null : describe(cause));
  }

  /** Queues the requests in order; the first result that is not "queued", else queued. */
  FeedSocket.Sent send(List<FeedRequest> requests) {
    for (FeedRequest request : requests) {
      FeedSocket.Sent offered = socket.send(request.toJson());
      if (offered != FeedSocket.Sent.QUEUED) {
        return offered;
      }
    }
    return FeedSocket.Sent.QUEUED;
  }

  /** Tells the broker first, then closes: completing the requests ends the socket. */
  void close() {
    socket.send(FeedRequest.disconnect().toJson());
    socket.endRequests();
  }

  /** Ends the socket at once, a pending handshake included. */
  void abort() {
    socket.abort();
  }

  /** An exception's message with the access token taken out, should a library have put it in. */
  String describe(Throwable cause) {
    // pekko-http's and the JDK's messages may quote the whole URI, token included.
    return credentials.redact(
        cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
  }
}
