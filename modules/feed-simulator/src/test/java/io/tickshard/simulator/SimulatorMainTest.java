package io.tickshard.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {

  @Test
  void no_flags_give_the_broker_defaults_on_port_8765() {
    SimulatorConfig config = SimulatorMain.parse(new String[0]);
    assertThat(config.port()).isEqualTo(8765);
    assertThat(config.maxInstrumentsPerRequest()).isEqualTo(100);
    assertThat(config.maxInstrumentsPerConnection()).isEqualTo(5_000);
    assertThat(config.maxConnectionsPerClient()).isEqualTo(5);
    assertThat(config.pingInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.pongTimeout()).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void every_flag_is_read() {
    SimulatorConfig config =
        SimulatorMain.parse(
            new String[] {
              "--host",
              "0.0.0.0",
              "--port",
              "9000",
              "--credentials",
              "c1:t1,c2:t2",
              "--expired-tokens",
              "old",
              "--rate",
              "5.5",
              "--seed",
              "9",
              "--max-instruments-per-request",
              "200",
              "--max-instruments-per-connection",
              "9000",
              "--max-connections-per-client",
              "50",
              "--ping-interval-seconds",
              "2",
              "--pong-timeout-seconds",
              "6",
              "--chart-minutes",
              "60"
            });
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.credentials()).isEqualTo(Map.of("c1", "t1", "c2", "t2"));
    assertThat(config.expiredTokens()).containsExactly("old");
    assertThat(config.ticksPerSecond()).isEqualTo(5.5);
    assertThat(config.seed()).isEqualTo(9);
    assertThat(config.maxInstrumentsPerRequest()).isEqualTo(200);
    assertThat(config.maxInstrumentsPerConnection()).isEqualTo(9000);
    assertThat(config.maxConnectionsPerClient()).isEqualTo(50);
    assertThat(config.pingInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.pongTimeout()).isEqualTo(Duration.ofSeconds(6));
    assertThat(config.chartMinutes()).isEqualTo(60);
  }

  @Test
  void bad_flags_are_refused_with_a_reason() {
    assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--port"}))
        .hasMessageContaining("--port needs a value");
    assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--port", "x"}))
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--credentials", "nocolon"}))
        .hasMessageContaining("ID:TOKEN");
    assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--bogus", "1"}))
        .hasMessageContaining("unknown flag");
    assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--rate", "0"}))
        .hasMessageContaining("ticks per second");
  }

  @Test
  void the_configuration_never_prints_tokens() {
    SimulatorConfig config = SimulatorMain.parse(new String[] {"--credentials", "c1:secret-t1"});
    assertThat(config.toString()).contains("c1").doesNotContain("secret-t1");
  }
}
