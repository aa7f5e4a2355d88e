package io.tickshard.bench.rig;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one scenario runs on, started by the tool on 127.0.0.1 and stopped by it however the run
 * ends (Ctrl-C included): PostgreSQL, the feed simulator, tickshard nodes from the packaged jar,
 * and the baseline servers. Nodes and baselines are started with the same JVM flags, so that their
 * figures compare.
 */
public final class Rig implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path home;
  private final Path runDir;
  private final List<String> jvmArgs;
  private final List<ChildProcess> started = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread cleanup = new Thread(this::closeQuietly, "bench-rig-cleanup");

  public Rig(Path home, Path runDir, List<String> jvmArgs) throws IOException {
    this.home = home.toAbsolutePath();
    this.runDir = Files.createDirectories(runDir.toAbsolutePath());
    this.jvmArgs = List.copyOf(jvmArgs);
    for (Path jar : List.of(nodeJar(), simulatorJar())) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            jar + " is missing: build first (bin/bench does), or point --home at the repository");
      }
    }
    Runtime.getRuntime().addShutdownHook(cleanup);
  }

  public record Node(String name, int httpPort, int clusterPort, int managementPort, long pid) {
    public String api() {
      return "http://127.0.0.1:" + httpPort;
    }

    public String management() {
      return "http://127.0.0.1:" + managementPort;
    }

    /** host:port of its remoting, as tickshard's answers name nodes. */
    public String address() {
      return "127.0.0.1:" + clusterPort;
    }
  }

  public Path runDir() {
    return runDir;
  }

  private Path nodeJar() {
    return home.resolve("modules/service/target/tickshard.jar");
  }

  private Path simulatorJar() {
    return home.resolve("modules/feed-simulator/target/feed-simulator.jar");
  }

  /** The embedded PostgreSQL binaries as a process of their own; answers its JDBC URL. */
  public String postgres() throws Exception {
    int port = FreePort.next();
    launch(
        "postgres",
        List.of(
            java(),
            "-cp",
            nodeJar().toString(),
            "io.tickshard.service.DatabaseMain",
            runDir.resolve("postgres-data").toString(),
            String.valueOf(port)),
        "database:");
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** The feed simulator, stamping its ticks; answers its feed URL. */
  public String simulator(double ticksPerSecond) throws Exception {
    int port = FreePort.next();
    launch(
        "simulator",
        List.of(
            java(),
            "-jar",
            simulatorJar().toString(),
            "--port",
            String.valueOf(port),
            "--rate",
            String.valueOf(ticksPerSecond),
            "--stamp-ticks",
            "--max-connections-per-client",
            "10"),
        "admin:");
    return "ws://127.0.0.1:" + port + "/";
  }

  /**
   * Nodes of one cluster, seeded by the first two, with the proofs' local timings; waits until each
   * answers {@code /ready}.
   */
  public List<Node> cluster(int size, String jdbcUrl, String feedUrl, Map<String, String> props)
      throws Exception {
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      clusterPorts.add(FreePort.next());
    }
    String seeds =
        String.join(
            ",",
            clusterPorts.subList(0, Math.min(2, size)).stream()
                .map(p -> "127.0.0.1:" + p)
                .toList());
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int httpPort = FreePort.next();
      int managementPort = FreePort.next();
      List<String> command = new ArrayList<>(List.of(java()));
      command.addAll(jvmArgs);
      props.forEach((key, value) -> command.add("-D" + key + "=" + value));
      command.addAll(List.of("-jar", nodeJar().toString()));
      String name = "node" + (i + 1);
      ChildProcess process =
          track(
              ChildProcess.start(
                  name,
                  command,
                  Map.of(
                      "TICKSHARD_DB_URL",
                      jdbcUrl,
                      "TICKSHARD_DB_USER",
                      "postgres",
                      "TICKSHARD_DB_PASSWORD",
                      "",
                      "DHANHQ_WS_URL",
                      feedUrl,
                      "TICKSHARD_SEED_NODES",
                      seeds,
                      "TICKSHARD_HTTP_PORT",
                      String.valueOf(httpPort),
                      "TICKSHARD_CLUSTER_PORT",
                      String.valueOf(clusterPorts.get(i)),
                      "TICKSHARD_MANAGEMENT_PORT",
                      String.valueOf(managementPort)),
                  runDir));
      nodes.add(new Node(name, httpPort, clusterPorts.get(i), managementPort, process.pid()));
    }
    for (Node node : nodes) {
      awaitStatus(node.management() + "/ready", 200);
    }
    return nodes;
  }

  /** A baseline server of this tool in a JVM started as the nodes are; answers its port. */
  public Started baseline(String name, List<String> arguments) throws Exception {
    int port = FreePort.next();
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(jvmArgs);
    command.addAll(
        List.of(
            "-cp",
            ownClassPath(),
            "io.tickshard.bench.baseline.BaselineMain",
            "--port",
            String.valueOf(port)));
    command.addAll(arguments);
    return new Started(port, launch(name, command, "baseline listening").pid());
  }

  /** A port and the process behind it. */
  public record Started(int port, long pid) {}

  private void awaitStatus(String url, int wanted) throws Exception {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      try {
        HttpResponse<Void> answer =
            http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == wanted) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      for (ChildProcess process : started) {
        if (!process.alive()) {
          throw new IllegalStateException(process.name() + " exited; see " + process.log());
        }
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(url + " did not answer " + wanted + " in " + START_TIMEOUT);
  }

  /**
   * Starts a process that says it is up with a line starting {@code readyLine}, and waits for it.
   */
  private ChildProcess launch(String name, List<String> command, String readyLine)
      throws Exception {
    ChildProcess process = track(ChildProcess.start(name, command, Map.of(), runDir));
    process.awaitLine(line -> line.startsWith(readyLine), START_TIMEOUT);
    return process;
  }

  private synchronized ChildProcess track(ChildProcess process) {
    started.add(process);
    return process;
  }

  /**
   * CPU seconds so far of each process started here, and of this tool ({@code bench}), by name:
   * where a measurement's CPU went.
   */
  public synchronized Map<String, Double> cpuSeconds() {
    Map<String, Double> seconds = new LinkedHashMap<>();
    for (ChildProcess process : started) {
      if (process.alive()) {
        seconds.put(process.name(), process.cpuSeconds());
      }
    }
    seconds.put("bench", ProcessCpu.seconds(ProcessHandle.current().pid()));
    return seconds;
  }

  /** This tool's class path, absolute: the baseline runs in a directory of its own. */
  private static String ownClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private synchronized void closeQuietly() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    started.clear();
  }

  @Override
  public void close() {
    closeQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }
}
