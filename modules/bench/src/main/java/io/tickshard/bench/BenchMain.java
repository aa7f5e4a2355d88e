package io.tickshard.bench;

import io.tickshard.bench.scenario.Scenarios;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The load tool: {@code bin/bench latency|fanout|control|storm|capacity [options]}. Each scenario
 * starts what it measures on 127.0.0.1 (PostgreSQL, the simulator, tickshard nodes from the
 * packaged jar, a baseline server), measures, writes a table and PNG plots, and stops all it
 * started.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = BenchMain.Version.class,
    description = {
      "Measures tickshard against baselines in the same run, on 127.0.0.1 only;",
      "storm: a start storm's answer times, every start sent at once;",
      "capacity: the most SSE viewers one node carries while every one keeps up.",
      "Results, in <out>/<scenario>-<time>/: a Markdown table of the runs (median,",
      "max, ratios; for capacity, of each climb's steps) and PNG plots per run.",
      "See docs/benchmarks.md."
    },
    subcommands = {CommandLine.HelpCommand.class})
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine().execute(args));
  }

  /** The parsed command line, for the tests of its parsing as much as for {@link #main}. */
  public static CommandLine commandLine() {
    CommandLine line = new CommandLine(new BenchMain());
    Scenarios.all().forEach(line::addSubcommand);
    line.setExecutionExceptionHandler(
        (failure, command, parsed) -> {
          if (failure instanceof IllegalArgumentException) {
            command.getErr().println("bench: " + failure.getMessage());
            command.usage(command.getErr());
            return 2;
          }
          command.getErr().println("bench: " + command.getCommandName() + " failed: " + failure);
          failure.printStackTrace(command.getErr());
          return 1;
        });
    return line;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = BenchMain.class.getPackage().getImplementationVersion();
      return new String[] {"tickshard bench " + (version == null ? "(development)" : version)};
    }
  }
}
