package io.tickshard.simulator;

import io.tickshard.feed.DisconnectReason;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the simulator answers a connection's HTTP head, as the broker would: an admin call, a 404 or
 * 426 at once, a refused handshake (the fault switch's 429 or 503), or the feed's upgrade and
 * whether its credentials are accepted. Decisions only; a {@link ClientSession} acts on them.
 */
final class FeedDoor {
  private static final Logger log = LoggerFactory.getLogger(FeedDoor.class);

  private final SimulatorState state;

  /** A request body larger than this is refused (a chart request is a few hundred bytes). */
  static final int MAX_BODY_BYTES = 16 * 1024;

  private final AdminApi admin;
  private final IntradayChartApi charts;
  private final String remoteAddress;

  FeedDoor(SimulatorState state, AdminApi admin, IntradayChartApi charts, String remoteAddress) {
    this.state = state;
    this.admin = admin;
    this.charts = charts;
    this.remoteAddress = remoteAddress;
  }

  /** What a session does with the head read so far. */
  sealed interface Next {}

  /** Not all of the head has arrived. */
  record NotYet() implements Next {}

  /** Answered at once, and the connection ends. */
  record Answer(ByteString response) implements Next {}

  /** A chart API call: answered once its body has arrived. */
  record AwaitBody(HttpHead head) implements Next {}

  /** The feed's handshake. */
  record Upgrade(HttpHead head) implements Next {}

  Next afterHead(Inbound.Head read) {
    if (read instanceof Inbound.HeadTooLarge) {
      return new Answer(
          HttpHead.response(
              431, "Request Header Fields Too Large", "text/plain", "request head too large"));
    }
    if (!(read instanceof Inbound.HeadRead complete)) {
      return new NotYet();
    }
    if (complete.head().isEmpty()) {
      return new Answer(HttpHead.response(400, "Bad Request", "text/plain", "bad request"));
    }
    HttpHead head = complete.head().get();
    if (wantsBody(head)) {
      return new AwaitBody(head);
    }
    return answerOtherThanFeed(head).<Next>map(Answer::new).orElseGet(() -> new Upgrade(head));
  }

  /** Whether the head is a chart API call, answered only once its body has arrived. */
  private boolean wantsBody(HttpHead head) {
    return head.path().equals(IntradayChartApi.PATH);
  }

  /**
   * The chart API's answer once the body ({@code Content-Length} bytes, none without one) has
   * arrived in {@code inbound}; empty until then. A body too large or of no readable length: 413.
   */
  Optional<ByteString> answerWithBody(HttpHead head, Inbound inbound) {
    int length = bodyLength(head);
    if (length < 0) {
      return Optional.of(
          HttpHead.response(413, "Content Too Large", "text/plain", "body too large"));
    }
    return inbound
        .body(length)
        .map(
            body -> {
              AdminApi.Answer answer =
                  charts.handle(head, body.utf8String(), Instant.now(), System.nanoTime());
              return HttpHead.response(
                  answer.status(), answer.reason(), "application/json", answer.json());
            });
  }

  private static int bodyLength(HttpHead head) {
    String text = head.header("content-length");
    try {
      int length = text.isEmpty() ? 0 : Integer.parseInt(text);
      return length >= 0 && length <= MAX_BODY_BYTES ? length : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The answer to a head that is not the feed's WebSocket upgrade; empty: it is one. */
  private Optional<ByteString> answerOtherThanFeed(HttpHead head) {
    if (head.path().startsWith("/admin")) {
      AdminApi.Answer answer = admin.handle(head);
      return Optional.of(
          HttpHead.response(answer.status(), answer.reason(), "application/json", answer.json()));
    }
    if (!head.path().equals("/") && !head.path().isEmpty()) {
      return Optional.of(HttpHead.response(404, "Not Found", "text/plain", "not found"));
    }
    if (!head.isWebSocketUpgrade()) {
      return Optional.of(
          HttpHead.response(426, "Upgrade Required", "text/plain", "this is a WebSocket feed"));
    }
    return Optional.empty();
  }

  /** What becomes of a feed handshake: its credentials and the fault switch decide. */
  sealed interface Admission {}

  /** Answered with an HTTP error instead of the upgrade (the fault switch's 429 or 503). */
  record HandshakeRefused(ByteString answer) implements Admission {}

  /** Upgraded, then reset (the fault switch). */
  record ResetAfterUpgrade() implements Admission {}

  /** Upgraded, then disconnected with this reason. */
  record Refused(int reasonCode) implements Admission {}

  /** Upgraded and open. */
  record Admitted(String clientId, String token) implements Admission {}

  /** Decides the handshake, counting what it decides. */
  Admission admit(HttpHead head, Instant now) {
    state.connectionsOpened.incrementAndGet();
    Optional<AuthRefusal> refusal = state.takeAuthRefusal();
    Optional<ByteString> refused = refusedHandshake(refusal);
    if (refused.isPresent()) {
      return new HandshakeRefused(refused.get());
    }
    if (refusal.map(r -> r.style() == AuthRefusal.Style.RESET).orElse(false)) {
      state.authFailures.incrementAndGet();
      log.info("feed connection from {} will be reset after upgrade (fault switch)", remoteAddress);
      return new ResetAfterUpgrade();
    }
    int refusedWith = refusal.map(AuthRefusal::reasonCode).orElseGet(() -> authenticate(head, now));
    String clientId = head.query().getOrDefault("clientId", "");
    if (refusedWith != 0) {
      state.countAuthRefusal(refusedWith);
      // The client id only: the token is a secret, even a wrong one.
      log.info("feed auth refused for client '{}' with reason {}", clientId, refusedWith);
      return new Refused(refusedWith);
    }
    return new Admitted(clientId, head.query().get("token"));
  }

  /** The fault switch's HTTP answer to the handshake (429 or 503), if it holds one. */
  private Optional<ByteString> refusedHandshake(Optional<AuthRefusal> refusal) {
    AuthRefusal.Style style = refusal.map(AuthRefusal::style).orElse(null);
    if (style == AuthRefusal.Style.HTTP_429) {
      state.authFailures.incrementAndGet();
      state.handshakesRefused.incrementAndGet();
      log.info("feed handshake from {} answered 429 (fault switch)", remoteAddress);
      return Optional.of(
          HttpHead.response(429, "Too Many Requests", "text/plain", "too many requests"));
    }
    if (style == AuthRefusal.Style.HTTP_503) {
      state.handshakesRefused.incrementAndGet();
      log.info("feed handshake from {} answered 503 (fault switch)", remoteAddress);
      return Optional.of(
          HttpHead.response(503, "Service Unavailable", "text/plain", "try again later"));
    }
    return Optional.empty();
  }

  /** Zero when the query's credentials are accepted, else the disconnect reason to send. */
  private int authenticate(HttpHead head, Instant now) {
    Map<String, String> query = head.query();
    String token = query.get("token");
    state.countAuthAttempt(token);
    if (!"2".equals(query.get("version")) || !"2".equals(query.get("authType"))) {
      return DisconnectReason.AUTHENTICATION_FAILED.code();
    }
    return state.credentials.authenticate(query.get("clientId"), token, now);
  }
}
