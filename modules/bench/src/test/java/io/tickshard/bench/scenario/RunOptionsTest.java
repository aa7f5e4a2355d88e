package io.tickshard.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunOptionsTest {
  private static RunOptions parse(String... args) {
    RunOptions options = new RunOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }

  @Test
  void the_bound_is_set_up_plus_every_phase_of_every_run() {
    RunOptions options = parse("--runs", "5", "--warmup", "10", "--duration", "20");
    // (10 + 20 + 15) s per phase, 2 phases, 5 runs and the settling one, plus 5 min to start
    assertThat(options.limit(2, Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(300 + 540));
    RunOptions unsettled = parse("--runs", "5", "--no-settle-run");
    assertThat(unsettled.settleRun()).isFalse();
    assertThat(unsettled.limit(1, Duration.ZERO)).isEqualTo(Duration.ofSeconds(45 * 5));
  }

  @Test
  void jvm_flags_split_on_whitespace() {
    assertThat(parse("--jvm-args", " -Xmx1g   -XX:+UseSerialGC ").jvmArgs())
        .containsExactly("-Xmx1g", "-XX:+UseSerialGC");
  }
}
