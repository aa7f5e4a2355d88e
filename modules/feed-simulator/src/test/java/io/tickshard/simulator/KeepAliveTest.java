package io.tickshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The broker pings every 10 s and drops a client that stops answering (shortened here). */
class KeepAliveTest {

  @Test
  void a_client_that_never_pongs_is_closed_and_one_that_does_stays() throws Exception {
    SimulatorConfig config =
        SimulatorConfig.defaults().withKeepAlive(Duration.ofMillis(200), Duration.ofMillis(800));
    try (FeedSimulator simulator = FeedSimulator.start(config);
        FeedClient answering =
            FeedClient.connect(
                simulator.feedUrl(
                    SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN));
        RawFeedSocket silent =
            new RawFeedSocket(
                simulator.feedUrl(
                    SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN))) {
      long started = System.nanoTime();
      RawFeedSocket.Transcript transcript = silent.readUntilEnd();
      Duration lived = Duration.ofNanos(System.nanoTime() - started);

      assertThat(transcript.count(0x9)).as("pings before the timeout").isGreaterThanOrEqualTo(3);
      RawFeedSocket.Frame last = transcript.frames().get(transcript.frames().size() - 1);
      assertThat(last.opcode()).isEqualTo(0x8);
      assertThat(last.closeCode()).isEqualTo(1001);
      assertThat(lived).isGreaterThanOrEqualTo(Duration.ofMillis(800));
      assertThat(simulator.state().stats().pingTimeouts()).isEqualTo(1);
      // The JDK client answered every ping over the same time, so it is still there.
      assertThat(answering.isOpen()).isTrue();
      assertThat(simulator.state().stats().connectionsOpen()).isEqualTo(1);
    }
  }

  @Test
  void the_server_answers_a_client_ping_with_a_pong() throws Exception {
    try (FeedSimulator simulator = FeedSimulator.start(SimulatorConfig.defaults());
        RawFeedSocket socket =
            new RawFeedSocket(
                simulator.feedUrl(
                    SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN))) {
      socket.sendMasked(0x9, new byte[] {42});
      RawFeedSocket.Frame pong = socket.readFrame();
      assertThat(pong.opcode()).isEqualTo(0xA);
      assertThat(pong.payload()).containsExactly(42);
    }
  }

  @Test
  void an_unmasked_client_frame_is_a_protocol_error() throws Exception {
    try (FeedSimulator simulator = FeedSimulator.start(SimulatorConfig.defaults());
        RawFeedSocket socket =
            new RawFeedSocket(
                simulator.feedUrl(
                    SimulatorConfig.DEFAULT_CLIENT_ID, SimulatorConfig.DEFAULT_ACCESS_TOKEN))) {
      socket.sendBytes(new byte[] {(byte) 0x81, 0x02, 'h', 'i'});
      RawFeedSocket.Transcript transcript = socket.readUntilEnd();
      RawFeedSocket.Frame last = transcript.frames().get(transcript.frames().size() - 1);
      assertThat(last.opcode()).isEqualTo(0x8);
      assertThat(last.closeCode()).isEqualTo(1002);
    }
  }
}
