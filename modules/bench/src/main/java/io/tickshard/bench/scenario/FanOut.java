package io.tickshard.bench.scenario;

import io.tickshard.bench.client.ClientSystem;
import io.tickshard.bench.client.KeyLayout;
import io.tickshard.bench.client.SseViewer;
import io.tickshard.bench.client.TickshardApi;
import io.tickshard.bench.measure.DistributionPlot;
import io.tickshard.bench.measure.Figures;
import io.tickshard.bench.measure.Goal;
import io.tickshard.bench.measure.Percentiles;
import io.tickshard.bench.measure.ViewerTally;
import io.tickshard.bench.measure.Window;
import io.tickshard.bench.rig.ProcessCpu;
import io.tickshard.bench.rig.Rig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.SharedKillSwitch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scenario 2: how many ticks one node delivers per CPU-second to many viewers, some of them slow,
 * against a bare pekko-http SSE server broadcasting the same feed to the same viewers.
 */
@Command(
    name = "fanout",
    mixinStandardHelpOptions = true,
    description = "Ticks delivered per CPU-second to many SSE viewers, against bare pekko-http.")
final class FanOut extends Scenario {
  @Option(names = "--viewers", defaultValue = "1000", description = "default: ${DEFAULT-VALUE}")
  int viewers;

  @Option(names = "--keys", defaultValue = "50", description = "default: ${DEFAULT-VALUE}")
  int keys;

  @Option(
      names = "--instruments-per-key",
      defaultValue = "10",
      description = "default: ${DEFAULT-VALUE}")
  int instrumentsPerKey;

  @Option(
      names = "--rate",
      defaultValue = "10",
      description = "ticks per instrument per second (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(
      names = "--slow",
      defaultValue = "10",
      description = "viewers reading at --slow-bytes-per-second (default: ${DEFAULT-VALUE})")
  int slow;

  @Option(
      names = "--slow-bytes-per-second",
      defaultValue = "1024",
      description = "default: ${DEFAULT-VALUE}")
  int slowBytesPerSecond;

  private KeyLayout layout;
  private ActorSystem client;
  private Rig.Node node;
  private Rig.Started baseline;
  private final List<String> ids = new ArrayList<>();

  @Override
  String name() {
    return "fanout";
  }

  @Override
  int phasesPerRun() {
    return 2;
  }

  @Override
  void validate() {
    RunOptions.check(viewers >= 1 && viewers <= 5_000, "--viewers must be 1-5,000");
    RunOptions.check(slow >= 0 && slow < viewers, "--slow must be 0 to fewer than --viewers");
    RunOptions.check(slowBytesPerSecond >= 64, "--slow-bytes-per-second at least 64");
    RunOptions.check(rate > 0 && rate <= 100, "--rate must be in (0, 100]");
    layout = new KeyLayout(keys, instrumentsPerKey, 1);
    RunOptions.check(layout.instruments() <= 5_000, "at most 5,000 instruments (one socket)");
  }

  @Override
  String describe() {
    return String.format(
        "one node, %,d SSE viewers on %d keys of %d instruments at %s ticks/s each (%,.0f ticks/s"
            + " in), %d of the viewers reading %,d bytes/s; baseline: a bare pekko-http SSE server"
            + " broadcasting the same feed to the same viewers",
        viewers,
        keys,
        instrumentsPerKey,
        rate,
        layout.instruments() * rate,
        slow,
        slowBytesPerSecond);
  }

  @Override
  void setUp(Rig rig) throws Exception {
    String jdbc = rig.postgres();
    String feedUrl = rig.simulator(rate);
    node = rig.cluster(1, jdbc, feedUrl, NodeSettings.LOCAL_CLUSTER).get(0);
    baseline =
        rig.baseline(
            "baseline-sse",
            List.of(
                "sse",
                "--feed",
                feedUrl,
                "--keys",
                String.valueOf(keys),
                "--instruments-per-key",
                String.valueOf(instrumentsPerKey)));
    TickshardApi api = new TickshardApi();
    ids.addAll(api.startAll(node.api(), layout));
    client = ClientSystem.create();
  }

  @Override
  Figures run(int number, Path results) throws Exception {
    Figures figures = new Figures();
    Map<String, Histogram> plotted = new LinkedHashMap<>();
    measure(
        "tickshard",
        node.httpPort(),
        node.pid(),
        k -> "/api/v1/streams/" + ids.get(k) + "/ticks",
        figures,
        plotted);
    measure("baseline", baseline.port(), baseline.pid(), k -> "/ticks/" + k, figures, plotted);
    figures.put(
        "ticks per CPU-second, tickshard / baseline",
        figures.get("tickshard ticks per CPU-second")
            / figures.get("baseline ticks per CPU-second"));
    DistributionPlot.write(
        results.resolve("fanout-run" + number + ".png"),
        "Fan-out: send-to-viewer lag (run " + number + ")",
        plotted);
    return figures;
  }

  private void measure(
      String target,
      int port,
      long pid,
      IntFunction<String> path,
      Figures figures,
      Map<String, Histogram> plotted)
      throws Exception {
    Window window = new Window();
    SharedKillSwitch stop = SseViewer.stopSwitch(target);
    List<SseViewer> fast = new ArrayList<>();
    List<SseViewer> slowOnes = new ArrayList<>();
    int slowEvery = slow == 0 ? Integer.MAX_VALUE : viewers / slow;
    for (int v = 0; v < viewers; v++) {
      boolean isSlow = v % slowEvery == 0 && slowOnes.size() < slow;
      SseViewer viewer =
          SseViewer.open(
              client, port, path.apply(v % keys), isSlow ? slowBytesPerSecond : 0, window, stop);
      (isSlow ? slowOnes : fast).add(viewer);
    }
    double cpuSeconds;
    try {
      Thread.sleep(options.warmup().toMillis());
      double cpuBefore = ProcessCpu.seconds(pid);
      window.open();
      Thread.sleep(options.duration().toMillis());
      window.close();
      cpuSeconds = ProcessCpu.seconds(pid) - cpuBefore;
      Thread.sleep(Viewers.TAIL.toMillis());
    } finally {
      stop.shutdown();
    }
    double seconds = window.seconds();
    long delivered = Viewers.received(fast) + Viewers.received(slowOnes);
    figures.put(target + " ticks/s delivered", delivered / seconds);
    figures.put(target + " CPU % of a core", 100 * cpuSeconds / seconds);
    figures.put(target + " ticks per CPU-second", delivered / Math.max(0.01, cpuSeconds));
    Histogram lag = Percentiles.merged(Viewers.tallies(fast));
    Percentiles.put(figures, target + " lag", lag);
    figures.put(target + " ticks missed by viewers that keep up", Viewers.missed(fast));
    figures.put(target + " viewers failed", Viewers.failed(fast) + Viewers.failed(slowOnes));
    plotted.put(target + ", viewers that keep up", lag);
    if (!slowOnes.isEmpty()) {
      // Counted by arrival, not by send time: a slow viewer reads what its TCP buffers held.
      long slowReceived = slowOnes.stream().mapToLong(v -> v.tally().receivedWhileOpen()).sum();
      figures.put(target + " slow viewer ticks/s", slowReceived / seconds / slowOnes.size());
      Histogram stale = ViewerTally.newHistogram();
      slowOnes.forEach(v -> stale.add(v.tally().staleness()));
      figures.put(target + " slow viewer tick age p50 s", stale.getValueAtPercentile(50) / 1e6);
      figures.put(target + " slow viewer tick age max s", stale.getMaxValue() / 1e6);
    }
  }

  @Override
  List<Goal> goals() {
    return List.of(
        new Goal(
            ">= the baseline's ticks per CPU-second",
            f -> f.get("ticks per CPU-second, tickshard / baseline") >= 1.0),
        new Goal(
            "slow viewers change nothing for the others: no tick missed by one that keeps up",
            f -> f.get("tickshard ticks missed by viewers that keep up") == 0),
        new Goal("no viewer failed", f -> f.get("tickshard viewers failed") == 0));
  }

  @Override
  void tearDown() {
    if (client != null) {
      client.terminate();
    }
  }
}
