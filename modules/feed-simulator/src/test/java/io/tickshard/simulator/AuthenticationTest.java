package io.tickshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickshard.feed.DisconnectPacket;
import io.tickshard.feed.FeedDecoder;
import io.tickshard.feed.FeedPacket;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Credentials travel in the query string; a refusal is a disconnect packet, a reset, or a 429. */
class AuthenticationTest {
  private static FeedSimulator simulator;
  private static AdminClient admin;

  @BeforeAll
  static void start() {
    simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults()
                .withCredentials(
                    Map.of("client-a", "token-a", "client-b", "token-b"), Set.of("old-token")));
    admin = new AdminClient(simulator);
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @AfterEach
  void clearFaults() {
    simulator.state().clearFaults();
  }

  @Test
  void accepted_credentials_open_a_feed_connection_that_admin_lists() throws Exception {
    try (FeedClient client = FeedClient.connect(simulator.feedUrl("client-a", "token-a"))) {
      assertThat(client.isOpen()).isTrue();
      assertThat(admin.connections().findValuesAsText("clientId")).contains("client-a");
    }
  }

  @Test
  void unknown_client_id_gets_810_then_a_close_frame() throws Exception {
    assertRefusedWith(simulator.feedUrl("nobody", "token-a"), 810);
  }

  @Test
  void wrong_token_gets_809() throws Exception {
    assertRefusedWith(simulator.feedUrl("client-a", "token-b"), 809);
  }

  @Test
  void expired_token_gets_807() throws Exception {
    assertRefusedWith(simulator.feedUrl("client-a", "old-token"), 807);
  }

  @Test
  void missing_query_parameters_get_808() throws Exception {
    assertRefusedWith(URI.create(simulator.baseUrl() + "?token=token-a&clientId=client-a"), 808);
  }

  @Test
  void refuse_auth_switch_sends_the_chosen_reason_even_for_good_credentials() throws Exception {
    assertThat(admin.post("faults/refuse-auth?style=disconnect_packet&reason=806&count=1").status())
        .isEqualTo(200);
    assertRefusedWith(simulator.feedUrl("client-a", "token-a"), 806);
    // count=1: the next attempt is let through again.
    try (FeedClient client = FeedClient.connect(simulator.feedUrl("client-a", "token-a"))) {
      assertThat(client.isOpen()).isTrue();
    }
  }

  @Test
  void reset_style_upgrades_then_resets_without_a_close_frame() throws Exception {
    admin.post("faults/refuse-auth?style=reset");
    try (RawFeedSocket socket = new RawFeedSocket(simulator.feedUrl("client-a", "token-a"))) {
      assertThat(socket.status).isEqualTo(101);
      RawFeedSocket.Transcript transcript = socket.readUntilEnd();
      assertThat(transcript.frames()).isEmpty();
      assertThat(transcript.ending()).isEqualTo(RawFeedSocket.Ending.RESET);
    }
  }

  @Test
  void http_429_style_refuses_the_handshake_itself() throws Exception {
    admin.post("faults/refuse-auth?style=http_429");
    try (RawFeedSocket socket = new RawFeedSocket(simulator.feedUrl("client-a", "token-a"))) {
      assertThat(socket.status).isEqualTo(429);
    }
    assertThatThrownBy(() -> FeedClient.connect(simulator.feedUrl("client-a", "token-a")))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(WebSocketHandshakeException.class);
  }

  @Test
  void http_503_style_answers_the_handshake_503_and_counts_it_as_refused_not_as_auth()
      throws Exception {
    long refusedBefore = admin.stats().get("handshakesRefused").asLong();
    long authBefore = admin.stats().get("authFailures").asLong();
    admin.post("faults/refuse-auth?style=http_503&count=1");
    try (RawFeedSocket socket = new RawFeedSocket(simulator.feedUrl("client-a", "token-a"))) {
      assertThat(socket.status).isEqualTo(503);
    }
    assertThat(admin.stats().get("handshakesRefused").asLong()).isEqualTo(refusedBefore + 1);
    assertThat(admin.stats().get("authFailures").asLong()).isEqualTo(authBefore);
    // count=1: the next attempt is let through again.
    try (FeedClient client = FeedClient.connect(simulator.feedUrl("client-a", "token-a"))) {
      assertThat(client.isOpen()).isTrue();
    }
  }

  @Test
  void refusals_are_counted_and_leave_no_open_connection() throws Exception {
    long before = admin.stats().get("authFailures").asLong();
    assertRefusedWith(simulator.feedUrl("client-a", "nope"), 809);
    assertThat(admin.stats().get("authFailures").asLong()).isEqualTo(before + 1);
    assertThat(admin.connections().findValuesAsText("clientId")).isEmpty();
  }

  static void assertRefusedWith(URI url, int reason) throws Exception {
    try (RawFeedSocket socket = new RawFeedSocket(url)) {
      assertThat(socket.status).isEqualTo(101);
      RawFeedSocket.Transcript transcript = socket.readUntilEnd();
      assertThat(transcript.frames()).hasSize(2);
      List<FeedPacket> packets =
          new FeedDecoder().decodeAll(transcript.frames().get(0).payload()).packets();
      assertThat(packets).containsExactly(new DisconnectPacket(reason));
      assertThat(transcript.frames().get(1).opcode()).isEqualTo(0x8);
      assertThat(transcript.ending()).isEqualTo(RawFeedSocket.Ending.CLOSE_FRAME_THEN_EOF);
    }
  }
}
