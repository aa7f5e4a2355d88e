package io.tickshard.streams.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.streams.upstream.FeedVerdict.AwaitCredentials;
import io.tickshard.streams.upstream.FeedVerdict.CoolOff;
import io.tickshard.streams.upstream.FeedVerdict.GiveUp;
import io.tickshard.streams.upstream.FeedVerdict.Retry;
import org.junit.jupiter.api.Test;

/** What a refused handshake or a socket's end means: retry, cool off, wait, or give up. */
class FeedVerdictTest {

  @Test
  void a_429_at_the_handshake_gives_up_and_says_why() {
    assertThat(FeedVerdict.ofHandshake(new FeedSocket.Handshake(429, null)))
        .isEqualTo(
            new GiveUp(
                "feed handshake answered HTTP 429: account blocked or data plan lapsed (will not"
                    + " retry until restarted)"));
  }

  @Test
  void other_statuses_are_retried_named_when_pekko_knows_the_name() {
    assertThat(FeedVerdict.ofHandshake(new FeedSocket.Handshake(503, null)))
        .isEqualTo(
            new Retry(LostBy.HANDSHAKE, "feed handshake answered HTTP 503 Service Unavailable"));
    // A proxy's 520 has no name in pekko-http: the number alone, no exception.
    assertThat(FeedVerdict.ofHandshake(new FeedSocket.Handshake(520, null)))
        .isEqualTo(new Retry(LostBy.HANDSHAKE, "feed handshake answered HTTP 520"));
  }

  @Test
  void a_101_with_wrong_upgrade_headers_is_retried() {
    assertThat(
            FeedVerdict.ofHandshake(new FeedSocket.Handshake(101, "the upgrade headers are wrong")))
        .isEqualTo(
            new Retry(
                LostBy.HANDSHAKE, "feed handshake not accepted: the upgrade headers are wrong"));
  }

  @Test
  void an_end_without_a_disconnect_packet_is_retried() {
    assertThat(FeedVerdict.ofEnd(null, null))
        .isEqualTo(new Retry(LostBy.CLOSED, "the feed closed the connection"));
    assertThat(FeedVerdict.ofEnd(null, "reset by peer"))
        .isEqualTo(new Retry(LostBy.CLOSED, "the feed connection failed: reset by peer"));
  }

  @Test
  void an_end_after_a_disconnect_packet_follows_its_reason() {
    assertThat(FeedVerdict.ofEnd(800, null))
        .isEqualTo(
            new Retry(
                LostBy.BROKER_DISCONNECT, "disconnected by the broker: 800 INTERNAL_SERVER_ERROR"));
    assertThat(FeedVerdict.ofEnd(805, null))
        .isEqualTo(new CoolOff("disconnected by the broker: 805 TOO_MANY_CONNECTIONS"));
    assertThat(FeedVerdict.ofEnd(807, "ignored"))
        .isEqualTo(
            new AwaitCredentials(807, "disconnected by the broker: 807 ACCESS_TOKEN_EXPIRED"));
    assertThat(FeedVerdict.ofEnd(806, null))
        .isEqualTo(
            new GiveUp(
                "disconnected by the broker: 806 DATA_APIS_NOT_SUBSCRIBED (will not retry until"
                    + " restarted)"));
    assertThat(FeedVerdict.ofEnd(804, null))
        .isEqualTo(
            new GiveUp(
                "disconnected by the broker: 804 INSTRUMENTS_EXCEED_LIMIT (the same request would"
                    + " fail again)"));
    // A code the protocol does not name: retried with backoff, the number alone.
    assertThat(FeedVerdict.ofEnd(899, null))
        .isEqualTo(new Retry(LostBy.BROKER_DISCONNECT, "disconnected by the broker: 899"));
  }
}
