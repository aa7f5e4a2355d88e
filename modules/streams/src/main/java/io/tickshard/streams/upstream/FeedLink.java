package io.tickshard.streams.upstream;

import io.tickshard.feed.FeedRequest;
import io.tickshard.streams.broker.BrokerCredentials;
import io.tickshard.streams.upstream.FeedConnection.Command;
import io.tickshard.streams.upstream.FeedConnection.ConnectFailed;
import io.tickshard.streams.upstream.FeedConnection.FrameReceived;
import io.tickshard.streams.upstream.FeedConnection.SocketEvent;
import io.tickshard.streams.upstream.FeedConnection.StreamEnded;
import io.tickshard.streams.upstream.FeedConnection.Upgraded;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;

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
  private Instant lastFrameAt;
  private Integer disconnectCode;

  private FeedLink(long generation, BrokerCredentials credentials, FeedSocket socket) {
    this.generation = generation;
    this.credentials = credentials;
    this.socket = socket;
  }

  /** Opens a socket with the broker's credentials of the moment; its news comes to the actor. */
  static FeedLink open(FeedContext feed) {
    long generation = GENERATIONS.incrementAndGet();
    BrokerCredentials credentials = feed.broker.forConnect();
    ActorRef<Command> self = feed.actor.getSelf();
    FeedSocket socket =
        FeedSocket.open(
            feed.settings.connectUri(credentials),
            feed.settings.connectTimeout(),
            bytes -> self.tell(new FrameReceived(generation, bytes)),
            handshake -> self.tell(new Upgraded(generation, handshake)),
            failure -> self.tell(new ConnectFailed(generation, failure)));
    feed.actor.pipeToSelf(
        socket.ended(), (failure, unexpected) -> new StreamEnded(generation, failure));
    return new FeedLink(generation, credentials, socket);
  }

  /** Whether {@code event} came from this socket (and not from an earlier one). */
  boolean told(SocketEvent event) {
    return event.generation() == generation;
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
