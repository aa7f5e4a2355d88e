package io.tickshard.streams.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * One broker WebSocket as pekko-http opens it for a {@link FeedConnection}: binary frames in, JSON
 * requests out, and the handshake's outcome told before the socket's end.
 *
 * @param killSwitch ends the socket from this side
 * @param outbound the requests to send (subscribe, disconnect); completing it closes the socket
 * @param ended completes when the socket ended, with its failure or null, and only after the
 *     handshake's outcome was told
 */
record FeedSocket(
    UniqueKillSwitch killSwitch,
    BoundedSourceQueue<Message> outbound,
    CompletionStage<Throwable> ended) {

  /**
   * How long the socket's end waits for the handshake's outcome, should pekko-http never settle it
   * (it does not when the TCP connection ends before any HTTP answer).
   */
  private static final Duration HANDSHAKE_OUTCOME_GRACE = Duration.ofSeconds(1);

  /**
   * Opens the socket to {@code uri} (which holds the token: never log it). Frames reach {@code
   * frames} one at a time, strict; the handshake's outcome reaches {@code upgraded} or {@code
   * connectFailed}, once.
   */
  static FeedSocket open(
      ActorSystem<?> system,
      Materializer materializer,
      URI uri,
      Duration frameTimeout,
      Consumer<ByteString> frames,
      Consumer<WebSocketUpgradeResponse> upgraded,
      Consumer<Throwable> connectFailed) {
    Sink<Message, Pair<UniqueKillSwitch, CompletionStage<Done>>> inbound =
        Flow.<Message>create()
            .viaMat(KillSwitches.single(), Keep.right())
            .mapAsync(1, message -> strictBytes(message, frameTimeout, materializer))
            .filter(bytes -> !bytes.isEmpty())
            .toMat(Sink.foreach(frames::accept), Keep.both());
    Source<Message, BoundedSourceQueue<Message>> requests = Source.queue(256);
    Pair<
            CompletionStage<WebSocketUpgradeResponse>,
            Pair<Pair<UniqueKillSwitch, CompletionStage<Done>>, BoundedSourceQueue<Message>>>
        materialized =
            Http.get(system)
                .singleWebSocketRequest(
                    WebSocketRequest.create(uri.toString()),
                    Flow.fromSinkAndSourceCoupledMat(inbound, requests, Keep.both()),
                    materializer);
    // A handshake answered with anything but 101 (a 429 included) does NOT fail the upgrade
    // future: pekko-http 1.3 (WebSocketClientBlueprint.UpgradeStage) completes it with an invalid
    // upgrade response that carries the HTTP response, status and all, and then fails the stream
    // with an IllegalArgumentException that has only a message. The two race; were the stream's
    // end handled first, a 429 would look like any lost socket and be retried forever. So the end
    // is told only after the handshake's outcome (or a short grace, for a connection that ended
    // before any HTTP answer, when pekko-http never settles the upgrade).
    CompletableFuture<Void> handshakeTold =
        materialized
            .first()
            .<Void>handle(
                (response, failure) -> {
                  if (failure == null) {
                    upgraded.accept(response);
                  } else {
                    connectFailed.accept(failure);
                  }
                  return null;
                })
            .toCompletableFuture();
    CompletionStage<Throwable> ended =
        materialized
            .second()
            .first()
            .second()
            .handle((done, failure) -> failure)
            .thenCompose(
                failure ->
                    handshakeTold
                        .copy()
                        .completeOnTimeout(
                            null, HANDSHAKE_OUTCOME_GRACE.toMillis(), TimeUnit.MILLISECONDS)
                        .thenApply(told -> failure));
    return new FeedSocket(
        materialized.second().first().first(), materialized.second().second(), ended);
  }

  /** Binary frames as bytes; the broker sends no text, so text is drained and dropped. */
  private static CompletionStage<ByteString> strictBytes(
      Message message, Duration timeout, Materializer materializer) {
    if (message.isText()) {
      return message
          .asTextMessage()
          .toStrict(timeout.toMillis(), materializer)
          .thenApply(text -> ByteString.emptyByteString());
    }
    BinaryMessage binary = message.asBinaryMessage();
    return binary.isStrict()
        ? CompletableFuture.completedFuture(binary.getStrictData())
        : binary.toStrict(timeout.toMillis(), materializer).thenApply(BinaryMessage::getStrictData);
  }
}
