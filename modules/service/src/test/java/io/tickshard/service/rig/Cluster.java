package io.tickshard.service.rig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tickshard cluster as the multi-JVM proofs run it: nodes from the packaged jar on 127.0.0.1,
 * each a JVM of its own, one PostgreSQL journal, one feed simulator as the broker. The upstream
 * policy is the default (shared sockets) unless the spec's environment says otherwise.
 */
public final class Cluster implements AutoCloseable {

  /**
   * What to start.
   *
   * @param name names the directory under target/ that keeps the nodes' logs
   * @param size how many nodes
   * @param simulator the broker's behaviour
   * @param environment the contract's variables beyond the journal, broker URL and seed nodes
   * @param properties -D flags of every node
   */
  public record Spec(
      String name,
      int size,
      SimulatorConfig simulator,
      Map<String, String> environment,
      Map<String, String> properties) {

    /**
     * Nodes with the local cluster's timings (as bin/cluster runs one): short failure detection and
     * SBR window, for on one machine a pause is not a partition (docs/operations.md has the
     * production values).
     */
    public static Spec of(String name, int size) {
      return new Spec(
          name,
          size,
          SimulatorConfig.defaults().withMarket(5, 17),
          Map.of(),
          Map.of(
              "pekko.cluster.split-brain-resolver.stable-after", "2s",
              "pekko.cluster.failure-detector.acceptable-heartbeat-pause", "2s"));
    }

    public Spec withSimulator(SimulatorConfig config) {
      return new Spec(name, size, config, environment, properties);
    }

    public Spec withEnvironment(String variable, String value) {
      Map<String, String> more = new HashMap<>(environment);
      more.put(variable, value);
      return new Spec(name, size, simulator, Map.copyOf(more), properties);
    }

    public Spec withProperty(String property, String value) {
      Map<String, String> more = new HashMap<>(properties);
      more.put(property, value);
      return new Spec(name, size, simulator, environment, Map.copyOf(more));
    }
  }

  private final Spec spec;
  private final Path logs;
  private final FeedSimulator simulator;
  private final BrokerSockets broker;
  private final Map<String, String> environment = new HashMap<>();
  private final int[] seedPorts;
  private final int[] ports;
  private final List<NodeProcess> nodes = new ArrayList<>();

  private Cluster(Spec spec, Path logs, FeedSimulator simulator) {
    this.spec = spec;
    this.logs = logs;
    this.simulator = simulator;
    this.broker = new BrokerSockets(simulator);
    this.seedPorts = new int[spec.size()];
    for (int i = 0; i < seedPorts.length; i++) {
      seedPorts[i] = FreePorts.next();
    }
    this.ports = seedPorts.clone();
  }

  /** Starts the journal, the simulator and every node, and waits until each is ready. */
  public static Cluster start(Spec spec) throws Exception {
    Path logs = Files.createDirectories(Path.of("target", spec.name()).toAbsolutePath());
    EmbeddedDatabase.Database database = EmbeddedDatabase.newDatabase();
    Cluster cluster = new Cluster(spec, logs, FeedSimulator.start(spec.simulator()));
    try {
      Map<String, String> env = cluster.environment;
      env.put("TICKSHARD_DB_URL", database.url());
      env.put("TICKSHARD_DB_USER", database.user());
      env.put("TICKSHARD_DB_PASSWORD", database.password());
      env.put("DHANHQ_WS_URL", cluster.simulator.baseUrl().toString());
      int seeds = Math.min(2, spec.size());
      List<String> seedNodes = new ArrayList<>();
      for (int i = 0; i < seeds; i++) {
        seedNodes.add("127.0.0.1:" + cluster.seedPorts[i]);
      }
      env.put("TICKSHARD_SEED_NODES", String.join(",", seedNodes));
      env.putAll(spec.environment());
      cluster.startAll();
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  public FeedSimulator simulator() {
    return simulator;
  }

  public BrokerSockets broker() {
    return broker;
  }

  /** Where the nodes' logs and the proofs' figures go. */
  public Path logs() {
    return logs;
  }

  /** The nodes as last started, in order: a killed one stays in its place until replaced. */
  public List<NodeProcess> nodes() {
    return List.copyOf(nodes);
  }

  public NodeProcess node(int index) {
    return nodes.get(index);
  }

  public List<NodeProcess> alive() {
    return nodes.stream().filter(NodeProcess::alive).toList();
  }

  /** Nodes that are up and ready (a replacement may still be booting). */
  public List<NodeProcess> ready() {
    return alive().stream().filter(NodeProcess::ready).toList();
  }

  /** A node that is up and ready. */
  public NodeProcess serving() {
    return ready().stream().findFirst().orElseThrow(() -> new AssertionError("no node is ready"));
  }

  /** The alive node whose remoting address is {@code address} (as status answers name nodes). */
  public NodeProcess at(String address) {
    return alive().stream()
        .filter(n -> n.node().equals(address))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no alive node is " + address));
  }

  /**
   * Starts every node (again, after {@link #stopAll}) on the ports it first had, the seed nodes'
   * among them, and waits until each is ready.
   */
  public void startAll() throws Exception {
    nodes.clear();
    for (int i = 0; i < spec.size(); i++) {
      ports[i] = seedPorts[i];
      nodes.add(launch(i, environment));
    }
    for (NodeProcess node : nodes) {
      node.awaitReady();
    }
  }

  /**
   * A new node in place {@code index}, on a cluster port of its own (not a seed node's: a first
   * seed node started again while the others answer late forms a cluster of its own); it is not
   * awaited.
   */
  public NodeProcess replace(int index) throws Exception {
    ports[index] = FreePorts.next();
    // Its seeds are the nodes alive now: after a roll none of the first ones may be left, and a
    // node restarted on a new port would find no seed (as it would on the same address).
    List<String> alive =
        alive().stream()
            .filter(n -> n != nodes.get(index))
            .map(n -> "127.0.0.1:" + n.clusterPort())
            .toList();
    Map<String, String> joining = new HashMap<>(environment);
    if (!alive.isEmpty()) {
      joining.put("TICKSHARD_SEED_NODES", String.join(",", alive));
    }
    NodeProcess node = launch(index, joining);
    nodes.set(index, node);
    return node;
  }

  private NodeProcess launch(int index, Map<String, String> env) throws Exception {
    return NodeProcess.start(
        "node" + (index + 1) + "-" + System.nanoTime(),
        ports[index],
        env,
        List.of(),
        spec.properties(),
        logs);
  }

  /** SIGTERM to every alive node: each leaves in order within a minute. */
  public void stopAll() throws Exception {
    for (NodeProcess node : alive()) {
      assertThat(node.stop(Duration.ofSeconds(60))).as("%s leaves within a minute", node).isTrue();
    }
  }

  /** Every node that is gone started again, and every node ready. */
  public void heal() throws Exception {
    for (int i = 0; i < nodes.size(); i++) {
      if (!nodes.get(i).alive()) {
        replace(i);
      }
    }
    for (NodeProcess node : nodes) {
      node.awaitReady();
    }
  }

  /**
   * A stop-all: how long the one answered 200 took, how long from its sending until the broker had
   * no socket open, and the nodes that did not answer it with 200 before one did.
   */
  public record Stopped(long answeredMs, long closedMs, List<String> refused) {}

  /**
   * Stops every stream, and waits until the broker has no socket open: a socket closes once no
   * running key needs anything on it (after the unsubscribe grace). Stops again while it waits: a
   * start that timed out at the API may still land.
   */
  public Stopped stopEveryStream() throws Exception {
    List<String> refused = new ArrayList<>();
    NodeProcess stopper = null;
    long answered = -1;
    long sent = 0;
    for (NodeProcess node : ready()) {
      long began = System.nanoTime();
      HttpResponse<String> answer = StreamsApi.stopAll(node);
      long took = (System.nanoTime() - began) / 1_000_000;
      if (answer.statusCode() == 200) {
        answered = took;
        sent = began;
        stopper = node;
        break;
      }
      refused.add(
          "POST /api/v1/streams/stop-all on %s answered %d after %d ms: %s"
              .formatted(node.node(), answer.statusCode(), took, answer.body()));
    }
    assertThat(stopper).as("a node that answers the stop-all: %s", refused).isNotNull();
    NodeProcess again = stopper;
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              if (broker.openCount() == 0) {
                return true;
              }
              StreamsApi.stopAll(again);
              return false;
            });
    return new Stopped(answered, (System.nanoTime() - sent) / 1_000_000, refused);
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess node : nodes) {
      node.close();
    }
    simulator.close();
  }
}
