package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.service.rig.BrokerSockets;
import io.tickshard.service.rig.NodeProcess;
import io.tickshard.service.rig.ScreenerKey;
import io.tickshard.service.rig.StreamsApi;
import io.tickshard.service.rig.Subscriptions;
import io.tickshard.service.rig.Upstream;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.simulator.SimulatorState;
import io.tickshard.streams.journal.JournalSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A network partition between the nodes of a three-node cluster on the default configuration (the
 * account's sockets shared by every key), on a network of the test's own
 * (src/test/netns/partition-network: one namespace per node, one for this JVM with the simulator
 * and PostgreSQL). The node that owns the shared socket is cut off from the other two but still
 * reaches the broker and the journal, the dangerous case: it keeps streaming while the majority
 * decides. The Split Brain Resolver downs it (keep-majority), the majority opens the socket again
 * and runs its streams, and no instrument is ever carried by two connections at once. Runs only in
 * the JVM that src/test/netns/namespace-jdk/bin/java starts (failsafe's "partition" execution, as
 * root); elsewhere it is skipped and says why.
 *
 * <p>Times are written to {@code target/partition-proof/timings.txt}, reported in
 * docs/benchmarks.md.
 */
class PartitionIT {
  private static final String NETWORK = System.getenv("TICKSHARD_PARTITION_NETWORK");
  private static final Path SCRIPT = Path.of("src", "test", "netns", "partition-network");
  private static final String INFRA = "10.231.0.2";
  private static final int KEYS = 12;
  private static final int CLUSTER_PORT = 25520;

  /** The window the SBR waits before downing; the local cluster's value (bin/cluster). */
  private static final Duration STABLE_AFTER = Duration.ofSeconds(5);

  private static final Map<String, String> timings = new HashMap<>();

  private static Path logs;
  private static EmbeddedPostgres postgres;
  private static FeedSimulator simulator;
  private static BrokerSockets broker;
  private static final List<ScreenerKey> keys =
      IntStream.range(0, KEYS)
          .mapToObj(k -> new ScreenerKey("split", List.of(100 * k + 1, 100 * k + 2), "quote"))
          .toList();
  private static final Map<String, String> environment = new HashMap<>();
  private static final List<NodeProcess> nodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    assumeTrue("ready".equals(NETWORK), "no network of the test's own: " + NETWORK);
    logs = Files.createDirectories(Path.of("target", "partition-proof").toAbsolutePath());
    String databaseUrl = startPostgres();
    JournalSchema.ensure(databaseUrl, "postgres", "");
    simulator =
        FeedSimulator.start(SimulatorConfig.defaults().withMarket(5, 17).withAddress(INFRA, 0));
    broker = new BrokerSockets(simulator);
    environment.put(
        "TICKSHARD_SEED_NODES", host(1) + ":" + CLUSTER_PORT + "," + host(2) + ":" + CLUSTER_PORT);
    environment.put("TICKSHARD_DB_URL", databaseUrl);
    environment.put("TICKSHARD_DB_USER", "postgres");
    environment.put("TICKSHARD_DB_PASSWORD", "");
    environment.put("DHANHQ_WS_URL", simulator.baseUrl().toString());
    for (int n = 1; n <= 3; n++) {
      nodes.add(startNode(n));
    }
    for (NodeProcess node : nodes) {
      node.awaitReady();
    }
  }

  /** PostgreSQL on the infra address, open to the nodes' network. */
  private static String startPostgres() throws Exception {
    Path data = Files.createTempDirectory("tickshard-partition-journal");
    postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setServerConfig("listen_addresses", "*")
            .setServerConfig("synchronous_commit", "on")
            .start();
    Files.writeString(
        data.resolve("pg_hba.conf"),
        "host all all 10.231.0.0/24 trust\n",
        StandardOpenOption.APPEND);
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_reload_conf()");
    }
    return "jdbc:postgresql://" + INFRA + ":" + postgres.getPort() + "/postgres";
  }

  private static String leaseOwner(String lease) throws Exception {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        java.sql.ResultSet row =
            statement.executeQuery(
                "SELECT owner FROM tickshard_lease WHERE name = '" + lease + "'")) {
      assertThat(row.next()).as("a lease row for %s", lease).isTrue();
      return row.getString(1);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (NodeProcess node : nodes) {
      node.close();
    }
    if (simulator != null) {
      simulator.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (logs != null) {
      Files.writeString(
          logs.resolve("timings.txt"),
          timings.entrySet().stream()
                  .map(e -> e.getKey() + " " + e.getValue())
                  .sorted()
                  .collect(Collectors.joining("\n"))
              + "\n");
    }
  }

  private static String host(int n) {
    return "10.231.0.1" + n;
  }

  private static NodeProcess startNode(int n) throws IOException {
    return NodeProcess.start(
        "n" + n + "-" + System.nanoTime(),
        host(n),
        List.of("ip", "netns", "exec", "tsp-n" + n),
        CLUSTER_PORT,
        environment,
        List.of(),
        Map.of("pekko.cluster.split-brain-resolver.stable-after", STABLE_AFTER.toSeconds() + "s"),
        logs);
  }

  private static void network(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toAbsolutePath().toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("partition-network %s", List.of(arguments)).isZero();
  }

  /**
   * Why the cut-off node has not exited, on one line (CI shows a failure's first line): what its
   * log says of the cluster and its shutdown. Its threads go to {@code <name>-threads.txt}.
   */
  private static String stillAliveReport(NodeProcess minority) throws Exception {
    Process dump =
        new ProcessBuilder("jcmd", String.valueOf(minority.handle().pid()), "Thread.print")
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve(minority.name() + "-threads.txt").toFile())
            .start();
    dump.waitFor(20, TimeUnit.SECONDS);
    List<String> told =
        Files.readAllLines(NodeProcess.log(logs, minority.name())).stream()
            .filter(
                line ->
                    line.contains("UNREACHABLE")
                        || line.contains("SBR")
                        || line.contains("DOWN")
                        || line.contains("Shutdown")
                        || line.contains("shutdown")
                        || line.contains("Coordinated")
                        || line.contains("lease")
                        || line.contains("ERROR"))
            .map(line -> line.length() > 160 ? line.substring(0, 160) : line)
            .toList();
    return minority
        + " still runs 40 s after the cut; its log: "
        + String.join(" | ", told.subList(Math.max(0, told.size() - 12), told.size()));
  }

  /**
   * Where each key runs, as the given node's listing says; only running streams. None while the
   * node answers a problem instead (503 while the registry moves off the node that was cut off).
   */
  private static Map<String, String> runningOn(NodeProcess node) throws Exception {
    Map<String, String> where = new HashMap<>();
    JsonNode streams = StreamsApi.json(node.api() + "/api/v1/streams").get("streams");
    if (streams == null) {
      return where;
    }
    for (JsonNode stream : streams) {
      if ("running".equals(stream.get("status").asText())) {
        where.put(stream.get("key").asText(), stream.get("node").asText());
      }
    }
    return where;
  }

  @Test
  void the_cut_off_socket_owner_downs_itself_and_the_majority_runs_its_streams_never_two_carriers()
      throws Exception {
    for (int k = 0; k < KEYS; k++) {
      HttpResponse<String> started = StreamsApi.start(nodes.get(k % 3), keys.get(k).startBody());
      assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    }
    Map<String, String> carried = Subscriptions.needed(keys);
    await().atMost(Duration.ofSeconds(60)).until(() -> runningOn(nodes.get(0)).size() == KEYS);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> broker.assertOneConnectionCarrying(carried));
    SimulatorState.ConnectionInfo before = broker.open().get(0);
    broker.mark();

    // The node that owns the socket is cut off: while the majority decides, it still streams
    // every key's instruments, the case where a second connection could carry them too.
    String owner = Upstream.ownerOf(nodes.get(0), "slot-0");
    NodeProcess minority =
        nodes.stream().filter(n -> n.node().equals(owner)).findFirst().orElseThrow();
    int cut = nodes.indexOf(minority) + 1;
    Map<String, String> placed = runningOn(nodes.get(0));
    List<String> moving =
        keys.stream()
            .map(ScreenerKey::key)
            .filter(k -> minority.node().equals(placed.get(k)))
            .toList();
    List<NodeProcess> majority = nodes.stream().filter(n -> n != minority).toList();

    Instant cutAt = Instant.now();
    network("cut", String.valueOf(cut));

    // The minority downs itself (and, downed, its JVM exits, not a minute later); the majority
    // opens the socket again and restarts the minority's streams.
    try {
      await()
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> !minority.alive());
    } catch (ConditionTimeoutException stillAlive) {
      throw new AssertionError(stillAliveReport(minority), stillAlive);
    }
    timings.put(
        "partition.minority-exited-after",
        Duration.between(cutAt, Instant.now()).toMillis() + " ms");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Map<String, String> now = runningOn(majority.get(0));
              return now.size() == KEYS && now.values().stream().noneMatch(minority.node()::equals);
            });
    timings.put(
        "partition.streams-back-after", Duration.between(cutAt, Instant.now()).toMillis() + " ms");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> broker.assertOneConnectionCarrying(carried));

    List<SimulatorState.TimelineEntry> replacements = broker.sinceMark();
    assertThat(replacements).as("the socket opened again once, on the majority").hasSize(1);
    SimulatorState.TimelineEntry old =
        broker.state().timeline().stream()
            .filter(e -> e.id() == before.id())
            .findFirst()
            .orElseThrow();
    Instant closed = Instant.parse(old.closedAt());
    Instant reopened = Instant.parse(replacements.get(0).openedAt());
    // Still reaching the broker, the minority kept streaming after the cut.
    assertThat(closed)
        .as("the minority's socket outlived the cut")
        .isAfter(cutAt.plus(STABLE_AFTER));
    assertThat(closed)
        .as("the minority's socket closed before the majority opened one")
        .isBeforeOrEqualTo(reopened);
    timings.put(
        "partition.minority-socket-closed-after",
        Duration.between(cutAt, closed).toMillis() + " ms");
    timings.put(
        "partition.gap-between-sockets", Duration.between(closed, reopened).toMillis() + " ms");
    timings.put("partition.keys-moved", String.valueOf(moving.size()));
    broker.assertSharedPromise();
    // The slot's lease passed from the cut-off node to the majority node that opened it.
    String opener = Upstream.ownerOf(majority.get(0), "slot-0");
    assertThat(leaseOwner("tickshard-slot-0"))
        .as("the lease of the socket the majority opened")
        .contains("@" + opener + "#");

    // Healed, the node's machine starts a new node: it joins, and nothing runs twice.
    network("heal", String.valueOf(cut));
    NodeProcess rejoined = startNode(cut);
    nodes.set(cut - 1, rejoined);
    rejoined.awaitReady();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                StreamsApi.json(rejoined.api() + "/api/v1/cluster")
                        .get("members")
                        .findValuesAsText("status")
                        .stream()
                        .filter("Up"::equals)
                        .count()
                    == 3);
    broker.assertOneConnectionCarrying(carried);
    broker.assertSharedPromise();
    for (ScreenerKey key : keys) {
      assertThat(StreamsApi.status(rejoined.api() + StreamsApi.path(key.key()))).isEqualTo(200);
    }
  }
}
