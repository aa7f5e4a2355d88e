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
import java.util.Iterator;
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
  private Rig.Node node;
  private final List<String> ids = new ArrayList<>();
  private final List<Climb> climbs = new ArrayList<>();

  @Override
  String name() {
    return "capacity";
  }

  @Override
  int phasesPerRun() {
    return 2 * counts().size() + 1; // each step opens its viewers and measures; the heap at zero
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
  List<Integer> counts() {
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
        counts().stream().map(n -> String.format("%,d", n)).collect(Collectors.joining(", ")),
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
    Climb climb = new Climb(node.name(), maxLagMillis, clientThreads);
    long heapAtZero = ProcessHeap.usedAfterFullGc(node.pid());
    try (SseCrowd crowd = new SseCrowd(node.httpPort(), clientThreads)) {
      for (Iterator<Integer> counts = counts().iterator(); counts.hasNext() && climb.goesOn(); ) {
        Climb.Step step = step(crowd, counts.next(), heapAtZero);
        climb.add(step);
        out()
            .printf(
                "  %,d viewers: %,.0f keeping up, %.1f KB heap each, node %.0f%%, tool %.0f%%%n",
                step.viewers(),
                step.figures().get("viewers keeping up"),
                step.figures().get("heap per viewer KB"),
                step.figures().get("cpu % " + node.name()),
                step.figures().get("cpu % bench"));
      }
    }
    DistributionPlot.write(
        results.resolve("capacity-run" + number + ".png"),
        "Capacity: send-to-viewer lag per step (run " + number + ")",
        climb.lags());
    // The node gives its seats back as it sees the connections close.
    Thread.sleep(Viewers.TAIL.toMillis());
    if (number >= 1) {
      climbs.add(climb);
    }
    return climb.summary();
  }

  private Climb.Step step(SseCrowd crowd, int viewers, long heapAtZero) throws Exception {
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
    figures.put(Climb.lateViewers(maxLagMillis), late);
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
    return new Climb.Step(viewers, figures, lag, problems);
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
      out.append("## Climb ").append(i + 1).append("\n\n");
      out.append(climbs.get(i).table()).append("\n\n");
    }
    out.append("## The climbs\n\n").append(RunTable.markdown(runs, goals()));
    return out.toString();
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
