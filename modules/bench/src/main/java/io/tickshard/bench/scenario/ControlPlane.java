package io.tickshard.bench.scenario;

import io.tickshard.bench.client.KeyLayout;
import io.tickshard.bench.client.TickshardApi;
import io.tickshard.bench.measure.DistributionPlot;
import io.tickshard.bench.measure.Figures;
import io.tickshard.bench.measure.Goal;
import io.tickshard.bench.measure.Percentiles;
import io.tickshard.bench.rig.Rig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Scenario 3: requests per second and latency of the control plane under concurrent clients, each
 * kind of request against a bare pekko-http server answering a constant JSON, in a JVM started as
 * the node is.
 */
@Command(
    name = "control",
    mixinStandardHelpOptions = true,
    description = "Control-plane requests/s and latency, against bare pekko-http.")
final class ControlPlane extends Scenario {
  static final List<String> KINDS = List.of("start", "status", "listing", "ready");

  @Option(names = "--clients", defaultValue = "32", description = "default: ${DEFAULT-VALUE}")
  int clients;

  @Option(
      names = "--keys",
      defaultValue = "50",
      description = "streams running, and so in the listing (default: ${DEFAULT-VALUE})")
  int keys;

  @Option(
      names = "--instruments",
      defaultValue = "10",
      description =
          "instruments per key, as the start calls send them (default: ${DEFAULT-VALUE}; issue 24"
              + " asks for 10, 200 and 5,000: keys x instruments <= 25,000)")
  int instruments;

  private KeyLayout layout;
  private Rig.Node node;
  private Rig.Started baseline;
  private String firstId;

  @Override
  String name() {
    return "control";
  }

  @Override
  int phasesPerRun() {
    return KINDS.size() + 2;
  }

  @Override
  void validate() {
    RunOptions.check(clients >= 1 && clients <= 512, "--clients must be 1-512");
    RunOptions.check(
        instruments >= 1 && (long) keys * instruments <= 25_000,
        "--instruments must be >= 1, and --keys x --instruments at most 25,000 (5 broker sockets"
            + " of 5,000)");
    layout = new KeyLayout(keys, instruments, 1);
  }

  @Override
  String describe() {
    return String.format(
        "one node with %d streams of %d instruments running; %d concurrent clients, each request"
            + " kind in turn"
            + " (start of a running key, its status, the listing, /ready); baseline: a bare"
            + " pekko-http server answering a constant status JSON (and, for the listing's size,"
            + " a recorded listing as a constant)",
        keys, instruments, clients);
  }

  @Override
  void setUp(Rig rig) throws Exception {
    String jdbc = rig.postgres();
    String feedUrl = rig.simulator(1);
    node = rig.cluster(1, jdbc, feedUrl, NodeSettings.LOCAL_CLUSTER).get(0);
    TickshardApi api = new TickshardApi();
    firstId = api.startAll(node.api(), layout).get(0);
    // A listing as the node answers it, for the baseline to answer as a constant of that size.
    Path listing = rig.runDir().resolve("listing.json");
    Files.writeString(listing, api.get(node.api() + "/api/v1/streams").toString());
    baseline =
        rig.baseline("baseline-constant", List.of("constant", "--listing", listing.toString()));
  }

  private HttpRequest request(String kind) {
    return switch (kind) {
      case "start" ->
          HttpRequest.newBuilder(URI.create(node.api() + "/api/v1/streams"))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      TickshardApi.startBody("bench", layout.ids(0))))
              .build();
      case "status" -> get(node.api() + "/api/v1/streams/" + firstId);
      case "listing" -> get(node.api() + "/api/v1/streams");
      case "ready" -> get(node.management() + "/ready");
      case "baseline" -> get("http://127.0.0.1:" + baseline.port() + "/status");
      case "baseline listing" -> get("http://127.0.0.1:" + baseline.port() + "/listing");
      default -> throw new IllegalArgumentException(kind);
    };
  }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).GET().build();
  }

  @Override
  Figures run(int number, Path results) throws Exception {
    Figures figures = new Figures();
    Map<String, Histogram> plotted = new LinkedHashMap<>();
    RequestLoad.Result base =
        RequestLoad.run(clients, request("baseline"), options.warmup(), options.duration());
    for (String kind : KINDS) {
      RequestLoad.Result result =
          RequestLoad.run(clients, request(kind), options.warmup(), options.duration());
      figures.put(kind + " req/s", result.perSecond());
      Percentiles.put(figures, kind, result.latency());
      figures.put(kind + " errors", result.errors());
      figures.put(kind + " req/s / baseline", result.perSecond() / base.perSecond());
      figures.put(
          kind + " p99 / baseline p99",
          result.latency().getValueAtPercentile(99)
              / (double) Math.max(1, base.latency().getValueAtPercentile(99)));
      plotted.put(kind, result.latency());
    }
    figures.put("baseline req/s", base.perSecond());
    Percentiles.put(figures, "baseline", base.latency());
    RequestLoad.Result baseListing =
        RequestLoad.run(clients, request("baseline listing"), options.warmup(), options.duration());
    figures.put("baseline of the listing's size req/s", baseListing.perSecond());
    figures.put(
        "listing req/s / baseline of its size",
        figures.get("listing req/s") / baseListing.perSecond());
    plotted.put("baseline, a constant of the listing's size", baseListing.latency());
    plotted.put("baseline (constant JSON)", base.latency());
    DistributionPlot.write(
        results.resolve("control-run" + number + ".png"),
        "Control plane: request latency, " + clients + " clients (run " + number + ")",
        plotted);
    return figures;
  }

  @Override
  List<Goal> goals() {
    List<Goal> goals = new ArrayList<>();
    // Issue 24's: the listing against a constant of its own size.
    for (String kind : List.of("start", "status")) {
      goals.add(
          new Goal(
              kind + ": >= 80% of the baseline's req/s",
              f -> f.get(kind + " req/s / baseline") >= 0.8));
    }
    goals.add(
        new Goal(
            "listing: >= 80% of the req/s of a constant of its size",
            f -> f.get("listing req/s / baseline of its size") >= 0.8));
    goals.add(
        new Goal(
            "every answer a success",
            f -> KINDS.stream().allMatch(kind -> f.get(kind + " errors") == 0)));
    return goals;
  }
}
