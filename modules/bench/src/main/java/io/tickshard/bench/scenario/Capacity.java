package io.tickshard.bench.scenario;

import com.sun.management.UnixOperatingSystemMXBean;
import io.tickshard.bench.client.KeyLayout;
import io.tickshard.bench.client.SseCrowd;
import io.tickshard.bench.client.TickshardApi;
import io.tickshard.bench.measure.CpuShare;
import io.tickshard.bench.measure.DistributionPlot;
import io.tickshard.bench.measure.Figures;
import io.tickshard.bench.measure.Goal;
import io.tickshard.bench.measure.Percentiles;
import io.tickshard.bench.measure.RunTable;
import io.tickshard.bench.measure.ViewerPace;
import io.tickshard.bench.measure.Window;
import io.tickshard.bench.rig.ProcessHeap;
import io.tickshard.bench.rig.Rig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scenario 5: the most SSE viewers one node carries while every one of them keeps up. The viewers
 * climb in steps; at each, once they are open and warmed up, a window is measured: who kept up, the
 * ticks delivered, the node's CPU per tick and its heap per viewer. The first step where one falls
 * behind ends the climb. No baseline: the figure is a count, held against the goal.
 */
@Command(
    name = "capacity",
    mixinStandardHelpOptions = true,
    defaultValueProvider = Capacity.OneClimb.class,
    description = {
      "The most SSE viewers one node carries while every one keeps up.",
      "Each step opens viewers up to its count, warms up (--warmup), measures",
      "(--duration) and reads the node's heap after a full GC; the first step where",
      "a viewer falls behind ends the climb. A run is one climb (--runs)."
    })
final class Capacity extends Scenario {
  /** Files a process holds besides its connections (docs/operations.md, "Connection limits"). */
  private static final int FILES_BESIDES_CONNECTIONS = 1024;

  /** Connections the node keeps for REST calls beyond its viewer seats. */
  private static final int REST_CONNECTIONS = 2000;

  /** Seats beyond the last step: the node's limit is never what ends the climb. */
  private static final int SPARE_SEATS = 100;

  /** The machine counts as busy from this share of all its cores. */
  private static final double BUSY = 0.85;

  @Option(
      names = "--max-viewers",
      defaultValue = "12500",
      description = "the last step, 1-25,000 (default: ${DEFAULT-VALUE})")
  int maxViewers;

  @Option(
      names = "--steps",
      split = ",",
      defaultValue = "1000,2500,5000,7500,10000",
      description =
          "viewer counts to climb through; those from --max-viewers up are left out"
              + " (default: ${DEFAULT-VALUE})")
  List<Integer> steps;

  @Option(
      names = "--keys",
      defaultValue = "100",
      description =
          "keys of one instrument each; the viewers are spread evenly over them"
              + " (default: ${DEFAULT-VALUE})")
  int keys;

  @Option(
      names = "--rate",
      defaultValue = "10",
      description = "ticks per instrument per second, so per viewer (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--max-lag",
      defaultValue = "1000",
      description =
          "ms: a viewer keeps up when it got every tick of the window, none later than this"
              + " (default: ${DEFAULT-VALUE})")
  int maxLagMillis;

  @Option(
      names = "--client-threads",
      defaultValue = "2",
      description = "threads serving the tool's viewers, 1-16 (default: ${DEFAULT-VALUE})")
  int clientThreads;

  private KeyLayout layout;
  private Rig rig;
  Rig.Node node;
  private final List<String> ids = new ArrayList<>();
  private final List<List<Step>> climbs = new ArrayList<>();

  /** One step of a climb: its figures, and why viewers were refused or lost, with how many. */
  record Step(int viewers, Figures figures, Histogram lag, Map<String, Long> problems) {
    boolean allKeptUp() {
      return figures.get("viewers keeping up") == viewers;
    }
  }

  @Override
  String name() {
    return "capacity";
  }

  @Override
  int phasesPerRun() {
    return 2 * climb().size() + 1; // each step opens its viewers and measures; the heap at zero
  }

  @Override
  void validate() {
    RunOptions.check(maxViewers >= 1 && maxViewers <= 25_000, "--max-viewers must be 1-25,000");
    RunOptions.check(
        steps.stream().allMatch(s -> s >= 1), "--steps must be viewer counts of at least 1");
    RunOptions.check(keys >= 1 && keys <= 5_000, "--keys must be 1-5,000 (one broker socket)");
    // A viewer proves it has every tick of the window with one sent after it, in the tail.
    RunOptions.check(rate >= 1 && rate <= 100, "--rate must be 1-100 ticks/s");
    RunOptions.check(maxLagMillis >= 1, "--max-lag must be at least 1 ms");
    RunOptions.check(clientThreads >= 1 && clientThreads <= 16, "--client-threads must be 1-16");
    long files = fileLimit();
    long needed = nodeConnections() + FILES_BESIDES_CONNECTIONS;
    RunOptions.check(
        files >= needed,
        String.format(
            "--max-viewers %d needs a file limit (ulimit -n) of at least %d for the node's"
                + " connections, and this process has %d; raise it (bin/bench raises the soft"
                + " limit to the hard one) or lower --max-viewers",
            maxViewers, needed, files));
    layout = new KeyLayout(keys, 1, 1);
  }

  /** The viewer counts of a climb: the listed steps below the last, then the last. */
  List<Integer> climb() {
    TreeSet<Integer> counts = new TreeSet<>(steps);
    List<Integer> climb = new ArrayList<>(counts.headSet(maxViewers));
    climb.add(maxViewers);
    return climb;
  }

  private int nodeSeats() {
    return maxViewers + SPARE_SEATS;
  }

  private int nodeConnections() {
    return nodeSeats() + REST_CONNECTIONS;
  }

  private static long fileLimit() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount()
        : Long.MAX_VALUE;
  }

  @Override
  String describe() {
    return String.format(
        "one node, %d keys of one instrument at %s ticks/s each, so %s ticks/s per viewer; SSE"
            + " viewers spread evenly over the keys, climbing %s, each step %d s of warm-up and"
            + " %d s measured; a viewer keeps up when it gets every tick sent in the window, none"
            + " later than %d ms; heap per viewer: the node's heap after a full GC less its heap"
            + " with no viewer, over the viewers; the tool's viewers (non-blocking sockets on %d"
            + " threads) run on the same machine as the node",
        keys,
        rate,
        rate,
        climb().stream().map(n -> String.format("%,d", n)).collect(Collectors.joining(", ")),
        options.warmup().toSeconds(),
        options.duration().toSeconds(),
        maxLagMillis,
        clientThreads);
  }

  @Override
  void setUp(Rig rig) throws Exception {
    this.rig = rig;
    String jdbc = rig.postgres();
    String feedUrl = rig.simulator(rate);
    Map<String, String> settings = new HashMap<>(NodeSettings.LOCAL_CLUSTER);
    settings.put("tickshard.api.max-sse-viewers", String.valueOf(nodeSeats()));
    settings.put("tickshard.http.max-connections", String.valueOf(nodeConnections()));
    node = rig.cluster(1, jdbc, feedUrl, settings).get(0);
    ids.addAll(new TickshardApi().startAll(node.api(), layout));
  }

  @Override
  Figures run(int number, Path results) throws Exception {
    List<Step> climb = new ArrayList<>();
    long heapAtZero = ProcessHeap.usedAfterFullGc(node.pid());
    try (SseCrowd crowd = new SseCrowd(node.httpPort(), clientThreads)) {
      for (int viewers : climb()) {
        Step step = step(crowd, viewers, heapAtZero);
        climb.add(step);
        out()
            .printf(
                "  %,d viewers: %,.0f keeping up, %.1f KB heap each, node %.0f%%, tool %.0f%%%n",
                viewers,
                step.figures().get("viewers keeping up"),
                step.figures().get("heap per viewer KB"),
                step.figures().get("cpu % " + node.name()),
                step.figures().get("cpu % bench"));
        if (!step.allKeptUp()) {
          break;
        }
      }
    }
    Map<String, Histogram> plotted = new LinkedHashMap<>();
    climb.forEach(step -> plotted.put(String.format("%,d viewers", step.viewers()), step.lag()));
    DistributionPlot.write(
        results.resolve("capacity-run" + number + ".png"),
        "Capacity: send-to-viewer lag per step (run " + number + ")",
        plotted);
    // The node gives its seats back as it sees the connections close.
    Thread.sleep(Viewers.TAIL.toMillis());
    if (number >= 1) {
      climbs.add(climb);
    }
    return summary(climb);
  }

  private Step step(SseCrowd crowd, int viewers, long heapAtZero) throws Exception {
    List<String> paths = new ArrayList<>();
    for (int v = crowd.viewers().size(); v < viewers; v++) {
      paths.add("/api/v1/streams/" + ids.get(v % keys) + "/ticks");
    }
    long opening = System.nanoTime();
    crowd.open(paths, options.warmup().plus(options.duration()).plusSeconds(15));
    double openSeconds = (System.nanoTime() - opening) / 1e9;
    Thread.sleep(options.warmup().toMillis());

    Window window = new Window();
    crowd.count(window);
    Map<String, Double> cpuBefore = rig.cpuSeconds();
    window.open();
    Thread.sleep(options.duration().toMillis());
    window.close();
    Map<String, Double> cpuAfter = rig.cpuSeconds();
    Thread.sleep(Viewers.TAIL.toMillis());

    long maxLagMicros = maxLagMillis * 1_000L;
    long keepingUp = 0;
    long viewing = 0;
    long refused = 0;
    long lost = 0;
    long missing = 0;
    long late = 0;
    long received = 0;
    long missed = 0;
    Map<String, Long> problems = new TreeMap<>();
    for (SseCrowd.Viewer viewer : crowd.viewers()) {
      switch (viewer.state()) {
        case VIEWING -> viewing++;
        case REFUSED -> refused++;
        default -> lost++; // none is still opening once open() has answered
      }
      if (viewer.problem() != null) {
        problems.merge(viewer.problem(), 1L, Long::sum);
      }
      ViewerPace pace = viewer.pace();
      received += pace.received();
      missed += pace.missed();
      missing += pace.missed() > 0 ? 1 : 0;
      late += pace.worstMicros() > maxLagMicros ? 1 : 0;
      if (viewer.state() == SseCrowd.State.VIEWING && pace.keptUp(maxLagMicros)) {
        keepingUp++;
      }
    }
    long heap = ProcessHeap.usedAfterFullGc(node.pid());

    double seconds = window.seconds();
    double nodeCpu = cpuAfter.get(node.name()) - cpuBefore.get(node.name());
    Figures figures = new Figures();
    figures.put("viewers", viewers);
    figures.put("viewers keeping up", keepingUp);
    figures.put("viewers viewing", viewing);
    figures.put("viewers refused", refused);
    figures.put("viewers lost", lost);
    figures.put("viewers that missed ticks", missing);
    figures.put("viewers with a tick later than " + maxLagMillis + " ms", late);
    figures.put("seconds to open the step's new viewers", openSeconds);
    figures.put("ticks/s delivered", received / seconds);
    figures.put("ticks/s per viewer", received / seconds / viewers);
    figures.put("ticks missed", missed);
    Histogram lag = crowd.latencies();
    Percentiles.put(figures, "lag", lag);
    figures.put("heap MB after a full GC", heap / 1024.0 / 1024.0);
    figures.put(
        "heap per viewer KB", viewing == 0 ? Double.NaN : (heap - heapAtZero) / 1024.0 / viewing);
    figures.put(
        "node CPU ms per 1,000 ticks", received == 0 ? Double.NaN : nodeCpu * 1e6 / received);
    CpuShare.put(figures, cpuBefore, cpuAfter, seconds);
    figures.put("cpu % of the machine", machineShare(figures));
    return new Step(viewers, figures, lag, problems);
  }

  /** All the processes' CPU, in percent of all the machine's cores. */
  private static double machineShare(Figures figures) {
    double all =
        figures.names().stream()
            .filter(name -> name.startsWith("cpu % "))
            .mapToDouble(figures::get)
            .sum();
    return all / Runtime.getRuntime().availableProcessors();
  }

  /** The climb in a few figures, for the table of runs and the goals. */
  Figures summary(List<Step> climb) {
    Figures summary = new Figures();
    Step best = null;
    for (Step step : climb) {
      if (step.allKeptUp()) {
        best = step;
      }
    }
    summary.put("most viewers all keeping up", best == null ? 0 : best.viewers());
    if (best != null) {
      Figures at = best.figures();
      summary.put("heap per viewer KB there", at.get("heap per viewer KB"));
      summary.put("node CPU ms per 1,000 ticks there", at.get("node CPU ms per 1,000 ticks"));
      summary.put("ticks/s delivered there", at.get("ticks/s delivered"));
      summary.put("cpu % " + node.name() + " there", at.get("cpu % " + node.name()));
      summary.put("cpu % bench there", at.get("cpu % bench"));
    }
    Step last = climb.get(climb.size() - 1);
    if (!last.allKeptUp()) {
      summary.put("first step not all keeping up", last.viewers());
      summary.put("viewers keeping up there", last.figures().get("viewers keeping up"));
    }
    return summary;
  }

  @Override
  List<Goal> goals() {
    return List.of(
        new Goal(
            ">= 10,000 viewers, all keeping up",
            f -> f.get("most viewers all keeping up") >= 10_000),
        new Goal("<= 20 KB heap per viewer, there", f -> f.get("heap per viewer KB there") <= 20));
  }

  @Override
  String report(List<Figures> runs) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < climbs.size(); i++) {
      List<Step> climb = climbs.get(i);
      out.append("## Climb ").append(i + 1).append("\n\n");
      out.append(
          RunTable.columns(
              climb.stream().map(s -> String.format("%,d viewers", s.viewers())).toList(),
              climb.stream().map(Step::figures).toList()));
      out.append('\n').append(bound(climb)).append("\n\n");
    }
    out.append("## The climbs\n\n").append(RunTable.markdown(runs, goals()));
    return out.toString();
  }

  /**
   * What ended the climb, and whose CPU it was: the tool's viewers run on the cores the node runs
   * on, so on a busy machine the figure is the node's share of it, not the node's own limit.
   */
  String bound(List<Step> climb) {
    Step last = climb.get(climb.size() - 1);
    Figures at = last.figures();
    int cores = Runtime.getRuntime().availableProcessors();
    String shares =
        String.format(
            "the node took %.0f%% of a core, this tool's viewers %.0f%%, all the processes %.0f%%"
                + " of the machine's %d cores",
            at.get("cpu % " + node.name()),
            at.get("cpu % bench"),
            at.get("cpu % of the machine"),
            cores);
    if (last.allKeptUp()) {
      return String.format(
          "What bounds it: not reached; every viewer kept up at every step, up to %,d (there %s)."
              + " Raise --max-viewers to find the limit.",
          last.viewers(), shares);
    }
    String who =
        String.format(
            "at %,d viewers %,.0f kept up (%,.0f missed ticks, %,.0f had a tick later than %d ms,"
                + " %,.0f were refused, %,.0f lost)",
            last.viewers(),
            at.get("viewers keeping up"),
            at.get("viewers that missed ticks"),
            at.get("viewers with a tick later than " + maxLagMillis + " ms"),
            maxLagMillis,
            at.get("viewers refused"),
            at.get("viewers lost"));
    String why;
    if (at.get("cpu % bench") >= BUSY * 100 * clientThreads) {
      why =
          "this tool's viewer threads were saturated: the limit is the tool's, not the node's"
              + " (try more --client-threads, or a machine of its own for the tool)";
    } else if (at.get("cpu % of the machine") >= BUSY * 100) {
      why =
          "the machine was busy: the node had what the tool, the simulator and PostgreSQL left it"
              + " of the same cores, so on a machine of its own it would carry more";
    } else {
      why =
          "the machine was not busy: not the CPU, but the node itself (its log and heap say more)";
    }
    StringBuilder text =
        new StringBuilder("What bounds it: ")
            .append(who)
            .append("; ")
            .append(shares)
            .append(": ")
            .append(why)
            .append('.');
    if (!last.problems().isEmpty()) {
      text.append(" Refused or lost: ");
      text.append(
          last.problems().entrySet().stream()
              .limit(5)
              .map(e -> e.getKey() + " (" + e.getValue() + ")")
              .collect(Collectors.joining("; ")));
      text.append('.');
    }
    return text.toString();
  }

  /** One climb, and no settling climb before it, unless asked: a climb takes minutes. */
  static final class OneClimb implements CommandLine.IDefaultValueProvider {
    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argument) {
      if (argument instanceof CommandLine.Model.OptionSpec option) {
        return switch (option.longestName()) {
          case "--runs" -> "1";
          case "--settle-run" -> "false";
          default -> null;
        };
      }
      return null;
    }
  }
}
