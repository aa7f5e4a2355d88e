package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.simulator.SimulatorState;
import io.tickshard.streams.journal.JournalSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A network partition between the nodes of a three-node cluster, on a network of the test's own
 * (src/test/netns/partition-network: one namespace per node, one for this JVM with the simulator
 * and PostgreSQL). One node is cut off from the other two but still reaches the broker and the
 * journal, the dangerous case: it keeps streaming while the majority decides. The Split Brain
 * Resolver downs it (keep-majority), the majority restarts its streams, and no key ever has two
 * sockets. Runs only in the JVM that src/test/netns/namespace-jdk/bin/java starts (failsafe's
 * "partition" execution, as root); elsewhere it is skipped and says why.
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

  private static final ObjectMapper JSON = NodeHttp.JSON;
  private static final HttpClient HTTP = NodeHttp.HTTP;
  private static final Map<String, String> timings = new HashMap<>();

  private static Path logs;
  private static EmbeddedPostgres postgres;
  private static FeedSimulator simulator;
  private static final Map<String, String> environment = new HashMap<>();
  private static final List<NodeProcess> nodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    assumeTrue("ready".equals(NETWORK), "no network of the test's own: " + NETWORK);
    logs = Files.createDirectories(Path.of("target", "partition-proof").toAbsolutePath());
    String databaseUrl = startPostgres();
    JournalSchema.ensure(databaseUrl, "postgres", "");
    simulator =
        FeedSimulator.start(
            SimulatorConfig.defaults()
                .withMarket(5, 17)
                .withLimits(100, 5_000, KEYS)
                .withAddress(INFRA, 0));
    environment.put(
        "TICKSHARD_SEED_NODES", host(1) + ":" + CLUSTER_PORT + "," + host(2) + ":" + CLUSTER_PORT);
    environment.put("TICKSHARD_DB_URL", databaseUrl);
    environment.put("TICKSHARD_DB_USER", "postgres");
    environment.put("TICKSHARD_DB_PASSWORD", "");
    environment.put("DHANHQ_WS_URL", simulator.baseUrl().toString());
    // Moved keys are told apart by their own sockets at the simulator.
    environment.put("TICKSHARD_UPSTREAM_SHARING", "dedicated");
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
        Map.of(
            "tickshard.budget.max-connections",
            String.valueOf(KEYS),
            "pekko.cluster.split-brain-resolver.stable-after",
            STABLE_AFTER.toSeconds() + "s"),
        logs);
  }

  private static void network(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toAbsolutePath().toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("partition-network %s", List.of(arguments)).isZero();
  }

  private static String key(int k) {
    return "type:split|ids:" + (100 * k + 1) + "," + (100 * k + 2);
  }

  private static String instruments(int k) {
    return "NSE_EQ:" + (100 * k + 1) + ",NSE_EQ:" + (100 * k + 2);
  }

  private static String path(String key) {
    return "/api/v1/streams/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
  }

  /**
   * Where each key runs, as the given node's listing says; only running streams. None while the
   * node answers a problem instead (503 while the registry moves off the node that was cut off).
   */
  private static Map<String, String> runningOn(NodeProcess node) throws Exception {
    Map<String, String> where = new HashMap<>();
    JsonNode streams = NodeHttp.get(node.api() + "/api/v1/streams").get("streams");
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

  private static List<SimulatorState.TimelineEntry> sockets(int k) {
    return simulator.state().timeline().stream()
        .filter(e -> String.join(",", e.instruments()).equals(instruments(k)))
        .sorted(Comparator.comparing(SimulatorState.TimelineEntry::openedAt))
        .toList();
  }

  @Test
  void the_cut_off_node_downs_itself_and_the_majority_runs_its_streams_never_two_sockets_per_key()
      throws Exception {
    for (int k = 0; k < KEYS; k++) {
      HttpResponse<String> started =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(nodes.get(k % 3).api() + "/api/v1/streams"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"screenerType\":\"split\",\"instruments\":["
                              + (100 * k + 1)
                              + ","
                              + (100 * k + 2)
                              + "]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> runningOn(nodes.get(0)).size() == KEYS);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> simulator.state().stats().connectionsOpen() == KEYS);

    // The node with the most streams is cut off: the most to move, the most to duplicate.
    Map<String, String> before = runningOn(nodes.get(0));
    NodeProcess minority =
        nodes.stream()
            .max(
                Comparator.comparing(
                    n -> before.values().stream().filter(n.node()::equals).count()))
            .orElseThrow();
    int cut = nodes.indexOf(minority) + 1;
    List<Integer> moving =
        IntStream.range(0, KEYS)
            .filter(k -> minority.node().equals(before.get(key(k))))
            .boxed()
            .toList();
    List<NodeProcess> majority = nodes.stream().filter(n -> n != minority).toList();
    assertThat(moving).as("streams on the node to cut off").isNotEmpty();

    Instant cutAt = Instant.now();
    network("cut", String.valueOf(cut));

    // The minority downs itself (and, downed, its JVM exits, not a minute later); the majority
    // restarts its streams.
    await()
        .atMost(Duration.ofSeconds(40))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !minority.alive());
    Instant minorityGone = Instant.now();
    timings.put(
        "partition.minority-exited-after",
        Duration.between(cutAt, minorityGone).toMillis() + " ms");
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
        .until(() -> simulator.state().stats().connectionsOpen() == KEYS);

    long shortestGap = Long.MAX_VALUE;
    for (int k : moving) {
      List<SimulatorState.TimelineEntry> sockets = sockets(k);
      assertThat(sockets)
          .as("%s: its socket on the minority, then one on the majority", key(k))
          .hasSize(2);
      SimulatorState.TimelineEntry old = sockets.get(0);
      SimulatorState.TimelineEntry replacement = sockets.get(1);
      Instant closed = Instant.parse(old.closedAt());
      // Still reaching the broker, the minority kept streaming after the cut: the case where a
      // second socket could open.
      assertThat(closed)
          .as("%s: the minority's socket outlived the cut", key(k))
          .isAfter(cutAt.plus(STABLE_AFTER));
      assertThat(closed)
          .as("%s: the minority's socket closed before the majority opened one", key(k))
          .isBeforeOrEqualTo(Instant.parse(replacement.openedAt()));
      shortestGap =
          Math.min(
              shortestGap,
              Duration.between(closed, Instant.parse(replacement.openedAt())).toMillis());
      timings.merge(
          "partition.minority-socket-closed-after",
          Duration.between(cutAt, closed).toMillis() + " ms",
          (a, b) -> Long.parseLong(a.split(" ")[0]) > Long.parseLong(b.split(" ")[0]) ? a : b);
    }
    timings.put("partition.shortest-gap-between-sockets", shortestGap + " ms");
    for (int k = 0; k < KEYS; k++) {
      if (!moving.contains(k)) {
        assertThat(sockets(k)).as("%s on the majority is untouched", key(k)).hasSize(1);
      }
    }

    // Healed, the node's machine starts a new node: it joins, and nothing runs twice.
    network("heal", String.valueOf(cut));
    NodeProcess rejoined = startNode(cut);
    nodes.set(cut - 1, rejoined);
    rejoined.awaitReady();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                NodeHttp.get(rejoined.api() + "/api/v1/cluster")
                        .get("members")
                        .findValuesAsText("status")
                        .stream()
                        .filter("Up"::equals)
                        .count()
                    == 3);
    assertThat(simulator.state().stats().connectionsOpen()).isEqualTo(KEYS);
    for (int k = 0; k < KEYS; k++) {
      List<SimulatorState.TimelineEntry> sockets = sockets(k);
      for (int i = 1; i < sockets.size(); i++) {
        assertThat(sockets.get(i - 1).closedAt())
            .as("%s: one socket at a time", key(k))
            .isNotNull();
        assertThat(Instant.parse(sockets.get(i - 1).closedAt()))
            .isBeforeOrEqualTo(Instant.parse(sockets.get(i).openedAt()));
      }
    }
    assertThat(NodeHttp.status(rejoined.api() + path(key(moving.get(0))))).isEqualTo(200);
  }
}
