package io.tickshard.streams.upstream;

import io.tickshard.feed.DisconnectReason;
import io.tickshard.streams.upstream.FeedConnection.Command;
import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * What the broker's refusal of a handshake, or the end of a socket, means for the connection: retry
 * after the backoff, cool off first, wait for new credentials, or give up for good.
 */
sealed interface FeedVerdict {

  /**
   * Leaves {@code link}, lost, for the state this verdict leads to; {@code attempt} and {@code
   * connectedAt} (null if it never connected) say where the backoff stands.
   */
  Behavior<Command> follow(FeedContext feed, FeedLink link, int attempt, Instant connectedAt);

  /** Connect again after the backoff. */
  record Retry(LostBy by, String reason) implements FeedVerdict {
    @Override
    public Behavior<Command> follow(
        FeedContext feed, FeedLink link, int attempt, Instant connectedAt) {
      return FeedBackingOff.afterLoss(feed, link, attempt, connectedAt, by, reason, null);
    }
  }

  /** Too many connections for the account: said loudly, then retried after the long cool-off. */
  record CoolOff(String reason) implements FeedVerdict {
    @Override
    public Behavior<Command> follow(
        FeedContext feed, FeedLink link, int attempt, Instant connectedAt) {
      Duration coolOff = feed.settings.tooManyConnectionsCoolOff();
      feed.log()
          .error(
              "{} on {}: {} — too many connections for this account; cooling off {}"
                  + " before reconnecting. Another client may be using the same account.",
              feed.label,
              feed.node,
              reason,
              coolOff);
      return FeedBackingOff.afterLoss(
          feed, link, attempt, connectedAt, LostBy.BROKER_DISCONNECT, reason, coolOff);
    }
  }

  /** The broker refused the credentials: the same ones would be refused again. */
  record AwaitCredentials(int code, String reason) implements FeedVerdict {
    @Override
    public Behavior<Command> follow(
        FeedContext feed, FeedLink link, int attempt, Instant connectedAt) {
      return FeedWaitingForCredentials.enter(feed, link, attempt, code, reason);
    }
  }

  /** Retrying cannot help: failed until restarted. */
  record GiveUp(String reason) implements FeedVerdict {
    @Override
    public Behavior<Command> follow(
        FeedContext feed, FeedLink link, int attempt, Instant connectedAt) {
      return FeedFailed.enter(feed, link, reason);
    }
  }

  /** The broker's "too many requests": at the handshake, account blocked or data plan lapsed. */
  String BLOCKED_ACCOUNT =
      "feed handshake answered HTTP 429: account blocked or data plan lapsed (will not retry"
          + " until restarted)";

  /**
   * A handshake that did not give a usable socket. The status is the one of the HTTP response the
   * client handed over (see FeedSocket), never parsed out of an exception's message.
   */
  static FeedVerdict ofHandshake(FeedSocket.Handshake handshake) {
    int status = handshake.status();
    if (status == StatusCodes.TOO_MANY_REQUESTS.intValue()) {
      // The broker's docs: a 429 at the handshake means the account is blocked or its data plan
      // lapsed. Retrying cannot help (and keeps hitting a rate limit).
      return new GiveUp(BLOCKED_ACCOUNT);
    }
    if (status != StatusCodes.SWITCHING_PROTOCOLS.intValue()) {
      // 500, 503 and the like: the broker is briefly unwell.
      return new Retry(
          LostBy.HANDSHAKE,
          "feed handshake answered HTTP "
              + status
              // lookup, not get: get throws for a code pekko-http has no name for (a proxy's 520)
              + StatusCodes.lookup(status).map(code -> " " + code.reason()).orElse(""));
    }
    // A 101 with a wrong Upgrade, Connection or Sec-WebSocket-Accept header: no usable socket.
    return new Retry(LostBy.HANDSHAKE, "feed handshake not accepted: " + handshake.problem());
  }

  /**
   * The end of a socket, judged by the disconnect packet the broker sent before it ({@code
   * disconnectCode}, null when none) or else by its {@code failure} (redacted; null when closed).
   */
  static FeedVerdict ofEnd(Integer disconnectCode, String failure) {
    if (disconnectCode == null) {
      return new Retry(
          LostBy.CLOSED,
          failure == null
              ? "the feed closed the connection"
              : "the feed connection failed: " + failure);
    }
    int code = disconnectCode;
    String reason =
        "disconnected by the broker: "
            + code
            + DisconnectReason.fromCode(code).map(r -> " " + r.name()).orElse("");
    return switch (DisconnectReason.actionFor(code)) {
      case NEW_CREDENTIALS -> new AwaitCredentials(code, reason);
      case FATAL -> new GiveUp(reason + " (will not retry until restarted)");
      case DO_NOT_RETRY_SAME_REQUEST -> new GiveUp(reason + " (the same request would fail again)");
      case LONG_COOL_OFF -> new CoolOff(reason);
      case RETRY_WITH_BACKOFF -> new Retry(LostBy.BROKER_DISCONNECT, reason);
    };
  }
}
