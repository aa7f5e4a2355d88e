package io.tickshard.bench.scenario;

import io.tickshard.bench.measure.Figures;
import io.tickshard.bench.measure.Goal;
import io.tickshard.bench.measure.RunTable;
import io.tickshard.bench.rig.Rig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;

/**
 * A measured scenario: it starts what it runs on, measures tickshard and its baseline in each of
 * its runs, and writes the table of runs ({@code results.md}) and the plots to its result
 * directory. It is bounded: past {@link RunOptions#limit} it stops, and stops everything it
 * started. The goals are reported, never asserted: exit 0 says the measurement was made.
 */
abstract class Scenario implements Callable<Integer> {
  static final int EXCEEDED_ITS_BOUND = 3;

  @Mixin RunOptions options;

  /** The directory name and heading of the results. */
  abstract String name();

  /** How many measured phases one run has (tickshard, baselines, request kinds). */
  abstract int phasesPerRun();

  /** Throws an {@link IllegalArgumentException} for its own options out of bounds. */
  abstract void validate();

  /** What the scenario measures, in one line for the results' heading. */
  abstract String describe();

  abstract void setUp(Rig rig) throws Exception;

  /** One run: every target measured once. */
  abstract Figures run(int number, Path results) throws Exception;

  abstract List<Goal> goals();

  void tearDown() {}

  /** What follows the heading in {@code results.md}: by default the table of the runs. */
  String report(List<Figures> runs) {
    return RunTable.markdown(runs, goals());
  }

  Duration setUpAllowance() {
    return Duration.ofMinutes(5);
  }

  /** The longest the scenario may take, set-up included, before the watchdog ends it. */
  Duration limit() {
    return options.limit(phasesPerRun(), setUpAllowance());
  }

  PrintStream out() {
    return System.out;
  }

  @Override
  public Integer call() throws Exception {
    options.validate();
    validate();
    Path results =
        options
            .out()
            .resolve(
                name()
                    + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Duration limit = limit();
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    watchdog.schedule(
        () -> {
          System.err.println("bench: " + name() + " exceeded its bound of " + limit + ": stopping");
          System.exit(EXCEEDED_ITS_BOUND); // the rig's shutdown hook stops what it started
        },
        limit.toSeconds(),
        TimeUnit.SECONDS);
    try (Rig rig = new Rig(options.home(), results, options.jvmArgs())) {
      out().println("bench " + name() + ": " + describe());
      out().println("results and logs in " + results + " (at most " + limit + ")");
      String machine = Machine.describe();
      setUp(rig);
      if (options.settleRun()) {
        // Three JVMs still compiling fall behind a feed of thousands of ticks a second, and one
        // behind stays behind for a while: the first run measured that, not the steady state.
        out().println("run 0 (settling, not counted): " + run(0, results));
      }
      List<Figures> runs = new ArrayList<>();
      for (int i = 1; i <= options.runs(); i++) {
        Figures figures = run(i, results);
        runs.add(figures);
        out().println("run " + i + ": " + figures);
      }
      String table = report(runs);
      Files.writeString(
          results.resolve("results.md"),
          "# "
              + name()
              + "\n\n"
              + describe()
              + "\n\n"
              + machine
              + "\nload at the end: "
              + Machine.loadAverage()
              + "\n\n"
              + table);
      out().println();
      out().print(table);
      return 0;
    } finally {
      tearDown();
      watchdog.shutdownNow();
    }
  }
}
