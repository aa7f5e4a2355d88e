package io.tickshard.bench.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** What every scenario takes: how many runs, how long each, where the results go. */
public final class RunOptions {
  @Option(
      names = "--runs",
      defaultValue = "5",
      description = "measured runs, 1-20 (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--warmup",
      defaultValue = "10",
      description = "seconds of warm-up before each measurement, 0-300 (default: ${DEFAULT-VALUE})")
  int warmupSeconds;

  @Option(
      names = "--duration",
      defaultValue = "20",
      description = "seconds measured per run and target, 1-600 (default: ${DEFAULT-VALUE})")
  int durationSeconds;

  @Option(
      names = "--settle-run",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "first one run that is not counted, while the JVMs compile the hot code"
              + " (default: ${DEFAULT-VALUE})")
  boolean settleRun;

  @Option(
      names = "--out",
      defaultValue = "data/bench",
      description = "results go to <out>/<scenario>-<time>/ (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--home",
      defaultValue = "${sys:tickshard.home:-.}",
      description = "the repository with the built jars (default: ${DEFAULT-VALUE})")
  Path home;

  @Option(
      names = "--jvm-args",
      defaultValue = "-Xmx1g",
      description = "JVM flags of every node and baseline server (default: ${DEFAULT-VALUE})")
  String jvmArgs;

  /** Throws what is out of bounds, before anything starts. */
  public void validate() {
    check(runs >= 1 && runs <= 20, "--runs must be 1-20, was " + runs);
    check(warmupSeconds >= 0 && warmupSeconds <= 300, "--warmup must be 0-300 s");
    check(durationSeconds >= 1 && durationSeconds <= 600, "--duration must be 1-600 s");
  }

  static void check(boolean holds, String problem) {
    if (!holds) {
      throw new IllegalArgumentException(problem);
    }
  }

  public int runs() {
    return runs;
  }

  public boolean settleRun() {
    return settleRun;
  }

  public Duration warmup() {
    return Duration.ofSeconds(warmupSeconds);
  }

  public Duration duration() {
    return Duration.ofSeconds(durationSeconds);
  }

  public Path out() {
    return out;
  }

  public Path home() {
    return home;
  }

  public List<String> jvmArgs() {
    return Arrays.stream(jvmArgs.trim().split("\\s+")).filter(a -> !a.isEmpty()).toList();
  }

  /**
   * The longest a scenario may take: its runs, each with {@code phases} warm-ups and measurements
   * plus a little to wind down, and {@code setUp} for starting what it runs on.
   */
  public Duration limit(int phases, Duration setUp) {
    Duration perPhase = warmup().plus(duration()).plusSeconds(15);
    return setUp.plus(perPhase.multipliedBy((long) phases * (runs + (settleRun ? 1 : 0))));
  }
}
