package io.tickshard.service.rig;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/** The registry's account of the broker sockets (GET /api/v1/upstream), as the proofs read it. */
public final class Upstream {
  private Upstream() {}

  /** The node that owns socket slot {@code slot}, as {@code node} answers it. */
  public static String ownerOf(NodeProcess node, String slot) throws Exception {
    for (JsonNode socket : StreamsApi.upstream(node).path("sockets")) {
      if (slot.equals(socket.path("id").asText())) {
        return socket.path("node").asText();
      }
    }
    throw new AssertionError("no socket " + slot + " in " + StreamsApi.upstream(node));
  }

  /**
   * The default policy in use, the account's budget of 5 sockets, one of them in use ({@code
   * socket}, connected), carrying {@code expected} for {@code keys} keys.
   */
  public static void assertOneSocketCarrying(
      NodeProcess node, Map<String, String> expected, int keys, String socket) throws Exception {
    JsonNode upstream = StreamsApi.upstream(node);
    String all = upstream.toString();
    assertThat(upstream.path("sharing").asText()).as(all).isEqualTo("shared");
    assertThat(upstream.path("budget").asInt()).as(all).isEqualTo(BrokerSockets.ACCOUNT_SOCKETS);
    assertThat(upstream.path("socketsInUse").asInt()).as(all).isEqualTo(1);
    assertThat(upstream.path("instrumentsInUse").asInt()).as(all).isEqualTo(expected.size());
    assertThat(upstream.path("capacity").asInt()).as(all).isEqualTo(25_000);
    assertThat(upstream.path("sockets")).as(all).hasSize(1);
    JsonNode only = upstream.get("sockets").get(0);
    assertThat(only.path("id").asText()).as(all).isEqualTo(socket);
    assertThat(only.path("state").asText()).as(all).isEqualTo("connected");
    assertThat(only.path("keys").asInt()).as(all).isEqualTo(keys);
    assertThat(only.path("carried").asInt()).as(all).isEqualTo(expected.size());
    assertThat(only.path("roomLeft").asInt()).as(all).isEqualTo(5_000 - expected.size());
    Map<String, Long> modes = new TreeMap<>();
    ScreenerKey.MODES.forEach(
        mode -> modes.put(mode, only.path("instruments").path(mode).asLong()));
    assertThat(modes).as(all).isEqualTo(Subscriptions.perMode(expected));
  }
}
