package io.tickshard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line: what it offers, and what it refuses before it starts anything. */
class BenchMainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine line = BenchMain.commandLine();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    return line.execute(args);
  }

  @Test
  void help_names_every_scenario() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString())
        .contains("latency", "fanout", "control", "storm", "capacity", "127.0.0.1 only");
  }

  @Test
  void capacity_climbs_once_by_default() {
    assertThat(run("capacity", "--help")).isZero();
    assertThat(out.toString())
        .contains("--max-viewers", "default: 12500", "--steps", "1000,2500,5000,7500,10000")
        .contains("measured runs, 1-20 (default: 1)")
        .contains("(default: false)");
  }

  @Test
  void each_scenario_explains_its_options_and_their_defaults() {
    assertThat(run("fanout", "--help")).isZero();
    assertThat(out.toString())
        .contains("--viewers", "default: 1000", "--slow-bytes-per-second", "--runs", "--duration");
  }

  @Test
  void an_unknown_option_is_a_usage_error() {
    assertThat(run("latency", "--bogus")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option: '--bogus'");
  }

  @Test
  void bounds_are_checked_before_anything_starts() {
    assertThat(run("latency", "--runs", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--runs must be 1-20");
    assertThat(run("control", "--duration", "601")).isEqualTo(2);
    assertThat(err.toString()).contains("--duration must be 1-600 s");
    assertThat(run("fanout", "--viewers", "10", "--slow", "10")).isEqualTo(2);
    assertThat(err.toString()).contains("--slow must be 0 to fewer than --viewers");
    assertThat(run("latency", "--instruments", "100", "--keys", "7")).isEqualTo(2);
    assertThat(err.toString()).contains("multiple of --keys");
    assertThat(run("capacity", "--max-viewers", "30000")).isEqualTo(2);
    assertThat(err.toString()).contains("--max-viewers must be 1-25,000");
    assertThat(run("control", "--instruments", "5000")).isEqualTo(2); // 50 keys of 5,000
    assertThat(err.toString()).contains("--keys x --instruments at most 25,000");
    assertThat(run("storm", "--requests", "10", "--keys", "20")).isEqualTo(2);
    assertThat(err.toString()).contains("--keys must be at most --requests");
  }

  @Test
  void a_missing_jar_is_said_plainly() {
    assertThat(run("control", "--home", "/nonexistent", "--runs", "1")).isEqualTo(1);
    assertThat(err.toString()).contains("tickshard.jar is missing");
  }
}
