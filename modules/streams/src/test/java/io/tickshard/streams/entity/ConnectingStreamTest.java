package io.tickshard.streams.entity;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.feed.FeedMode;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.market.MarketHours;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.testkit.ClusterOfOne;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A feed that accepts the TCP connection but never answers the WebSocket handshake keeps a stream
 * "connecting": the window in which a second start is queued.
 */
class ConnectingStreamTest {
  private static ServerSocket silentFeed;
  private static FeedSimulator unused;
  private static ActorTestKit kit;
  private static StreamScenarios scenarios;

  @BeforeAll
  static void start() throws Exception {
    silentFeed = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    unused = FeedSimulator.start(SimulatorConfig.defaults());
    Map<String, Object> config = new HashMap<>(StreamTestConfig.FAST_FEED);
    config.put("tickshard.feed.url", "ws://127.0.0.1:" + silentFeed.getLocalPort() + "/");
    config.put("tickshard.feed.connect-timeout", "30s");
    config.put("pekko.http.client.connecting-timeout", "30s");
    // A stopped key's instruments stay on the socket for the grace; then it carries nothing.
    config.put("tickshard.upstream.unsubscribe-grace", "1s");
    kit = ClusterOfOne.start(ClusterOfOne.config(EmbeddedDatabase.newDatabase(), unused, config));
    Streams.start(kit.system(), StreamTestConfig.settings(kit.system(), MarketHours.always()));
    scenarios = new StreamScenarios(kit);
  }

  @AfterAll
  static void stop() throws Exception {
    kit.shutdownTestKit();
    unused.close();
    silentFeed.close();
  }

  @Test
  void a_start_while_connecting_is_queued_and_a_stop_closes_the_half_open_socket()
      throws Exception {
    StreamKey key = StreamScenarios.key("connecting", 1, 2);

    assertThat(scenarios.start(key, FeedMode.QUOTE)).isInstanceOf(StartReply.Started.class);
    try (Socket upstream = silentFeed.accept()) {
      assertThat(scenarios.found(key).state()).isEqualTo(StreamState.STARTING);
      assertThat(scenarios.start(key, FeedMode.QUOTE)).isInstanceOf(StartReply.Queued.class);

      assertThat(scenarios.stop(key)).isInstanceOf(StopReply.Stopped.class);

      // The socket slot closes its half-open socket once the grace is over: the far end sees
      // end-of-stream or a reset. A socket left open would make this read time out instead.
      upstream.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
      assertThat(readUntilClosed(upstream)).startsWith("GET /?version=2&token=");
    }
    assertThat(scenarios.found(key).state()).isEqualTo(StreamState.STOPPED);
  }

  private static String readUntilClosed(Socket socket) throws Exception {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    try {
      for (int n; (n = socket.getInputStream().read(buffer)) >= 0; ) {
        received.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError("the upstream socket is still open", stillOpen);
    } catch (SocketException reset) {
      // Closed by a reset rather than a FIN: closed all the same.
    }
    return received.toString(StandardCharsets.UTF_8);
  }
}
