package io.tickshard.bench.scenario;

import io.tickshard.bench.client.ClientSystem;
import io.tickshard.bench.client.FeedReader;
import io.tickshard.bench.client.KeyLayout;
import io.tickshard.bench.client.SseViewer;
import io.tickshard.bench.client.TickshardApi;
import io.tickshard.bench.measure.CpuShare;
import io.tickshard.bench.measure.DistributionPlot;
import io.tickshard.bench.measure.Figures;
import io.tickshard.bench.measure.Goal;
import io.tickshard.bench.measure.Percentiles;
import io.tickshard.bench.measure.TickStamp;
import io.tickshard.bench.measure.ViewerTally;
import io.tickshard.bench.measure.Window;
import io.tickshard.bench.rig.Rig;
import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.SharedKillSwitch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scenario 1: how long a tick takes from the simulator to a browser, on the node that holds the
 * broker socket and on another node of the cluster, against the same ticks read straight from the
 * simulator by a plain WebSocket client at the same time.
 */
@Command(
    name = "latency",
    mixinStandardHelpOptions = true,
    description = "Send-to-viewer tick latency and loss, against a plain WebSocket client.")
final class TickLatency extends Scenario {
  @Option(names = "--instruments", defaultValue = "2000", description = "default: ${DEFAULT-VALUE}")
  int instruments;

  @Option(names = "--keys", defaultValue = "20", description = "default: ${DEFAULT-VALUE}")
  int keys;

  @Option(
      names = "--rate",
      defaultValue = "10",
      description = "ticks per instrument per second (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--viewers", defaultValue = "100", description = "default: ${DEFAULT-VALUE}")
  int viewers;

  @Option(names = "--nodes", defaultValue = "3", description = "1-5 (default: ${DEFAULT-VALUE})")
  int nodes;

  private KeyLayout layout;
  private String feedUrl;
  private ActorSystem client;
  private final List<String> ids = new ArrayList<>();
  private Rig rig;
  private Rig.Node owner;
  private Rig.Node other;

  @Override
  String name() {
    return "latency";
  }

  @Override
  int phasesPerRun() {
    return 1;
  }

  @Override
  void validate() {
    RunOptions.check(
        keys >= 1 && instruments % keys == 0, "--instruments must be a multiple of --keys");
    RunOptions.check(instruments <= 5_000, "--instruments at most 5,000 (one broker socket)");
    RunOptions.check(viewers >= 1 && viewers <= 2_000, "--viewers must be 1-2,000");
    RunOptions.check(nodes >= 1 && nodes <= 5, "--nodes must be 1-5");
    RunOptions.check(rate > 0 && rate <= 100, "--rate must be in (0, 100]");
    layout = new KeyLayout(keys, instruments / keys, 1);
  }

  @Override
  String describe() {
    return String.format(
        "stamped quotes for %,d instruments at %s/s each (%,.0f ticks/s), %d SSE viewers over %d"
            + " keys, half on the node holding the broker socket and half on another of %d nodes;"
            + " baseline: a plain WebSocket client reading the same feed from the simulator",
        instruments, rate, instruments * rate, viewers, keys, nodes);
  }

  @Override
  void setUp(Rig rig) throws Exception {
    this.rig = rig;
    String jdbc = rig.postgres();
    feedUrl = rig.simulator(rate);
    List<Rig.Node> cluster = rig.cluster(nodes, jdbc, feedUrl, NodeSettings.LOCAL_CLUSTER);
    TickshardApi api = new TickshardApi();
    ids.addAll(api.startAll(cluster.get(0).api(), layout));
    String socketNode = api.socketOwner(cluster.get(0).api());
    owner = cluster.stream().filter(n -> n.address().equals(socketNode)).findFirst().orElseThrow();
    other = cluster.stream().filter(n -> n != owner).findFirst().orElse(owner);
    client = ClientSystem.create();
  }

  @Override
  Figures run(int number, Path results) throws Exception {
    Window window = new Window();
    SharedKillSwitch stop = SseViewer.stopSwitch("run-" + number);
    List<SseViewer> local = new ArrayList<>();
    List<SseViewer> remote = new ArrayList<>();
    for (int v = 0; v < viewers; v++) {
      Rig.Node node = v % 2 == 0 ? owner : other;
      String path = "/api/v1/streams/" + ids.get(v % keys) + "/ticks";
      SseViewer viewer = SseViewer.open(client, node.httpPort(), path, 0, window, stop);
      (node == owner ? local : remote).add(viewer);
    }
    ViewerTally baseline = new ViewerTally();
    Map<String, Double> cpuStart = new LinkedHashMap<>();
    Map<String, Double> cpuAfter;
    List<Instrument> all =
        layout.allIds().stream().map(id -> Instrument.of(ExchangeSegment.NSE_EQ, id)).toList();
    try (FeedReader reader =
        FeedReader.open(
            feedUrl,
            all,
            quote -> baseline.observe(TickStamp.of(quote), TickStamp.nowMicros(), window))) {
      Thread.sleep(options.warmup().toMillis());
      window.open();
      Map<String, Double> cpuBefore = rig.cpuSeconds();
      Thread.sleep(options.duration().toMillis());
      window.close();
      cpuAfter = rig.cpuSeconds();
      cpuBefore.forEach(cpuStart::put);
      Thread.sleep(Viewers.TAIL.toMillis());
    } finally {
      stop.shutdown();
    }

    Figures figures = new Figures();
    figures.put("ticks/s sent", baseline.received() / window.seconds());
    Map<String, Histogram> plotted = new LinkedHashMap<>();
    Histogram base = baseline.latency();
    Percentiles.put(figures, "baseline", base);
    plotted.put("baseline (plain WebSocket client)", base);
    for (var group : List.of(Map.entry("same node", local), Map.entry("other node", remote))) {
      if (group.getValue().isEmpty()) {
        continue;
      }
      Histogram latency = Percentiles.merged(Viewers.tallies(group.getValue()));
      Percentiles.put(figures, group.getKey(), latency);
      figures.put(group.getKey() + " ticks missed", Viewers.missed(group.getValue()));
      figures.put(group.getKey() + " viewers failed", Viewers.failed(group.getValue()));
      figures.put(
          group.getKey() + " p99 / baseline p99",
          latency.getValueAtPercentile(99) / (double) Math.max(1, base.getValueAtPercentile(99)));
      figures.put(
          group.getKey() + " p50 over baseline ms",
          (latency.getValueAtPercentile(50) - base.getValueAtPercentile(50)) / 1_000.0);
      figures.put(
          group.getKey() + " p99 over baseline ms",
          (latency.getValueAtPercentile(99) - base.getValueAtPercentile(99)) / 1_000.0);
      plotted.put("tickshard, viewer on the " + group.getKey(), latency);
    }
    figures.put("baseline ticks missed", baseline.missed());
    figures.put(
        "same node ticks/s per viewer", Viewers.received(local) / window.seconds() / local.size());
    if (!remote.isEmpty()) {
      figures.put(
          "other node ticks/s per viewer",
          Viewers.received(remote) / window.seconds() / remote.size());
    }
    CpuShare.put(figures, cpuStart, cpuAfter, window.seconds());
    DistributionPlot.write(
        results.resolve("latency-run" + number + ".png"),
        "Tick latency, send to viewer (run " + number + ")",
        plotted);
    return figures;
  }

  @Override
  List<Goal> goals() {
    return List.of(
        new Goal(
            "socket's node: p50 <= baseline p50 + 2 ms and p99 <= baseline p99 + 5 ms",
            f ->
                f.get("same node viewers failed") == 0
                    && f.get("same node p50 over baseline ms") <= 2
                    && f.get("same node p99 over baseline ms") <= 5),
        new Goal(
            "another node: p50 <= baseline p50 + 4 ms",
            f ->
                !f.has("other node p50 over baseline ms")
                    || f.get("other node p50 over baseline ms") <= 4),
        new Goal(
            "no tick lost for a viewer that keeps up, no viewer failed",
            f ->
                f.get("same node ticks missed") == 0
                    && f.get("same node viewers failed") == 0
                    && (!f.has("other node ticks missed")
                        || f.get("other node ticks missed") == 0
                            && f.get("other node viewers failed") == 0)));
  }

  @Override
  void tearDown() {
    if (client != null) {
      client.terminate();
    }
  }
}
