package io.tickshard.bench.scenario;

import io.tickshard.bench.client.ScreenerKey;
import io.tickshard.bench.client.Storm;
import io.tickshard.bench.client.TickshardApi;
import io.tickshard.bench.measure.DistributionPlot;
import io.tickshard.bench.measure.Figures;
import io.tickshard.bench.measure.Goal;
import io.tickshard.bench.rig.LoopbackTcp;
import io.tickshard.bench.rig.Rig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scenario 4, the start storm of issue 24: "600 starts of 50 keys from 3 nodes: every answer within
 * 1 s". Each run starts fresh keys (their names carry the run's number; their ids and modes are the
 * same every run) with all the starts in flight at once, each to a random node; sends the same
 * starts again on the keys now running; and, as the baseline, the same starts with the same client
 * to a bare pekko-http server answering a constant: what so many requests at once cost this client
 * and pekko-http on this machine with nothing behind them. Then it stops every stream and waits
 * until no stream is listed and no broker socket is open, as before a market opens.
 *
 * <p>By default each storm has a client of its own, and so a connection of its own per request, as
 * 600 browsers opening a page at market open have: the connects, and the servers' accept queues,
 * are part of what a page waits for. {@code --reuse-connections} keeps one client for the whole
 * scenario, so that the starts again and later runs ride on connections already open: what the
 * answers cost without the connects.
 *
 * <p>The baseline server and the nodes listen with a backlog of 1,024 (BaselineMain, and the nodes'
 * {@code tickshard.http.backlog}): a connect that overflows a queue waits for its SYN to be sent
 * again (1 s, then 3 s). The listen-overflow figures say when that happened anyway.
 */
@Command(
    name = "storm",
    mixinStandardHelpOptions = true,
    description = {
      "A start storm (every answer within 1 s?), against bare pekko-http.",
      "--warmup and --duration do not apply: a storm lasts as long as its answers."
    })
final class StartStorm extends Scenario {
  /** The same ids and modes every run, so that runs differ by their keys' names only. */
  private static final long SHAPES = 2026;

  private static final int FIRST_ID = 10_001;

  @Option(
      names = "--requests",
      defaultValue = "600",
      description = "starts per storm, 1-5,000 (default: ${DEFAULT-VALUE})")
  int requests;

  @Option(
      names = "--keys",
      defaultValue = "50",
      description = "fresh keys per run, 1-500, each of 15-25 ids (default: ${DEFAULT-VALUE})")
  int keys;

  @Option(names = "--nodes", defaultValue = "3", description = "1-5 (default: ${DEFAULT-VALUE})")
  int nodes;

  @Option(
      names = "--reuse-connections",
      description =
          "one client, and its open connections, for every storm (default: a new one each)")
  boolean reuseConnections;

  private final TickshardApi api = new TickshardApi();
  private List<Rig.Node> cluster;
  private Rig.Started baseline;
  private HttpClient shared;

  /** One storm's answers, and the listen-queue overflows while it ran. */
  private record Phase(StormTally tally, long listenOverflows) {}

  @Override
  String name() {
    return "storm";
  }

  @Override
  int phasesPerRun() {
    return 3;
  }

  @Override
  void validate() {
    RunOptions.check(requests >= 1 && requests <= 5_000, "--requests must be 1-5,000");
    RunOptions.check(keys >= 1 && keys <= 500, "--keys must be 1-500");
    RunOptions.check(keys <= requests, "--keys must be at most --requests");
    RunOptions.check(nodes >= 1 && nodes <= 5, "--nodes must be 1-5");
  }

  /** About 12 ids per key: each id in about two keys of 20, as screeners overlap. */
  private int pool() {
    return 12 * keys;
  }

  @Override
  String describe() {
    return String.format(
        "%d starts of %d fresh keys (15-25 NSE_EQ ids each from %d, modes ticker, quote and full)"
            + " all in flight at once, each to a random one of %d nodes, %s; then the same starts"
            + " again on the running keys; baseline: the same starts, same client, at once, to a"
            + " bare pekko-http server answering a constant. Listen overflows: the machine's"
            + " counter (/proc/net/netstat), other processes' included",
        requests,
        keys,
        pool(),
        nodes,
        reuseConnections
            ? "one client for every storm (--reuse-connections)"
            : "a new client, so a new connection per request, for each storm");
  }

  @Override
  Duration limit() {
    // A run is three storms and a stop: well under a minute; three allow for a loaded machine.
    return setUpAllowance()
        .plus(Duration.ofMinutes(3).multipliedBy(options.runs() + (options.settleRun() ? 1 : 0)));
  }

  @Override
  void setUp(Rig rig) throws Exception {
    String jdbc = rig.postgres();
    // A tick a second per instrument: the storm's answers are measured, not the tick path.
    String feedUrl = rig.simulator(1);
    cluster = rig.cluster(nodes, jdbc, feedUrl, NodeSettings.LOCAL_CLUSTER);
    baseline = rig.baseline("baseline-constant", List.of("constant"));
    if (reuseConnections) {
      shared = Storm.newClient();
    }
  }

  @Override
  Figures run(int number, Path results) throws Exception {
    List<ScreenerKey> fresh =
        ScreenerKey.overlapping("storm" + number + "-", keys, FIRST_ID, pool(), SHAPES);
    Random random = new Random(number);
    List<ScreenerKey> order = new ArrayList<>();
    for (int r = 0; r < requests; r++) {
      order.add(fresh.get(r % keys));
    }
    Collections.shuffle(order, random);
    List<HttpRequest> starts = new ArrayList<>();
    List<HttpRequest> toBaseline = new ArrayList<>();
    for (ScreenerKey key : order) {
      String body = key.startBody(random);
      starts.add(Storm.start(cluster.get(random.nextInt(nodes)).api(), body));
      toBaseline.add(Storm.start("http://127.0.0.1:" + baseline.port(), body));
    }
    Set<Integer> nodePorts = cluster.stream().map(Rig.Node::httpPort).collect(Collectors.toSet());

    // The baseline first, while the nodes are idle: it shares the machine with them.
    Phase base = storm("baseline", toBaseline, Set.of(baseline.port()), false);
    Phase storm = storm("storm", starts, nodePorts, true);
    Phase again = storm("again", starts, nodePorts, true);
    List<String> apis = cluster.stream().map(Rig.Node::api).toList();
    api.stopAll(apis);
    api.awaitIdle(apis, Duration.ofMinutes(2));

    Figures figures = new Figures();
    storm.tally().put(figures, "storm");
    figures.put("storm started", storm.tally().answered("started"));
    figures.put("storm queued", storm.tally().answered("queued"));
    figures.put("storm keys started twice or more", storm.tally().keysStarted(fresh, 2, true));
    figures.put("storm keys never answered started", storm.tally().keysStarted(fresh, 0, false));
    figures.put("storm listen overflows", storm.listenOverflows());
    again.tally().put(figures, "again");
    figures.put("again started", again.tally().answered("started"));
    figures.put("again listen overflows", again.listenOverflows());
    base.tally().put(figures, "baseline");
    figures.put("baseline listen overflows", base.listenOverflows());
    double baseMax = figures.get("baseline max ms");
    figures.put("storm max / baseline max", figures.get("storm max ms") / Math.max(0.001, baseMax));
    figures.put("storm max over baseline max ms", figures.get("storm max ms") - baseMax);
    figures.put("again max / baseline max", figures.get("again max ms") / Math.max(0.001, baseMax));

    Map<String, Histogram> plotted = new LinkedHashMap<>();
    plotted.put("tickshard, fresh keys", storm.tally().latency());
    plotted.put("tickshard, the same starts again", again.tally().latency());
    plotted.put("baseline (constant answer)", base.tally().latency());
    DistributionPlot.write(
        results.resolve("storm-run" + number + ".png"),
        "Start storm: answer times, " + requests + " starts at once (run " + number + ")",
        plotted);
    return figures;
  }

  /**
   * Sends one storm and reads its answers. With a new client per storm, that client is dropped and
   * its connections awaited closed, so that the next storm meets servers without them: JDK 17's
   * client has no close(), its selector thread closes them once the client is unreachable.
   */
  private Phase storm(String series, List<HttpRequest> requests, Set<Integer> ports, boolean starts)
      throws InterruptedException {
    long openBefore = LoopbackTcp.connectionsTo(ports);
    long overflowsBefore = LoopbackTcp.listenOverflows();
    List<Storm.Answer> answers = Storm.send(shared != null ? shared : Storm.newClient(), requests);
    long overflowsAfter = LoopbackTcp.listenOverflows();
    StormTally tally = new StormTally(answers, starts);
    String remarks = tally.remarks();
    if (!remarks.isEmpty()) {
      out().println("  " + series + ": " + remarks);
    }
    if (shared == null) {
      awaitClosed(series, ports, openBefore);
    }
    return new Phase(
        tally, overflowsBefore < 0 || overflowsAfter < 0 ? -1 : overflowsAfter - overflowsBefore);
  }

  private void awaitClosed(String series, Set<Integer> ports, long openBefore)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    long open = LoopbackTcp.connectionsTo(ports);
    while (open > openBefore && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(500);
      open = LoopbackTcp.connectionsTo(ports);
    }
    if (open > openBefore) {
      out().println("  " + series + ": " + (open - openBefore) + " connections still open");
    }
  }

  @Override
  List<Goal> goals() {
    return List.of(
        new Goal(
            "every answer within 1 s: storm max <= 1,000 ms, no error",
            f -> f.get("storm max ms") <= 1_000 && f.get("storm errors") == 0),
        new Goal(
            "each key started once, every answer 201 started or 200 already_running/queued;"
                + " again, none started",
            f ->
                f.get("storm keys started twice or more") == 0
                    && f.get("storm keys never answered started") == 0
                    && f.get("storm errors") == 0
                    && f.get("again errors") == 0
                    && f.get("again started") == 0),
        new Goal(
            "informative: storm max - baseline max <= 1,000 ms (tickshard's share of the wait)",
            f -> f.get("storm max over baseline max ms") <= 1_000));
  }
}
