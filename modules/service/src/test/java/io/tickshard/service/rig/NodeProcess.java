package io.tickshard.service.rig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * One tickshard node in a JVM of its own, started from the packaged jar as an operator would. The
 * browser tests (modules/e2e) take it from this module's test-jar and name the jar with {@code
 * -Dtickshard.jar}.
 */
public final class NodeProcess implements AutoCloseable {
  private final String name;
  private final String host;
  private final int httpPort;
  private final int clusterPort;
  private final int managementPort;
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path workDir;
  private final Process process;
  private final CompletableFuture<Void> started = new CompletableFuture<>();

  private NodeProcess(
      String name,
      String host,
      int httpPort,
      int clusterPort,
      int managementPort,
      List<String> command,
      Map<String, String> environment,
      Path workDir,
      Process process) {
    this.name = name;
    this.host = host;
    this.httpPort = httpPort;
    this.clusterPort = clusterPort;
    this.managementPort = managementPort;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.workDir = workDir;
    this.process = process;
  }

  /**
   * Starts a node with the contract's environment variables, {@code jvmArgs}, and {@code
   * properties} as -D flags; its output goes to {@code logDir/<name>.log}, and it runs in {@code
   * logDir/<name>-work}.
   */
  public static NodeProcess start(
      String name,
      int clusterPort,
      Map<String, String> environment,
      List<String> jvmArgs,
      Map<String, String> properties,
      Path logDir)
      throws IOException {
    return start(
        name, "127.0.0.1", List.of(), clusterPort, environment, jvmArgs, properties, logDir);
  }

  /**
   * As above, on {@code host} (its {@code TICKSHARD_HOST}), the java command run by {@code
   * launcher} (e.g. {@code ip netns exec <namespace>}).
   */
  public static NodeProcess start(
      String name,
      String host,
      List<String> launcher,
      int clusterPort,
      Map<String, String> environment,
      List<String> jvmArgs,
      Map<String, String> properties,
      Path logDir)
      throws IOException {
    Path jar =
        Path.of(System.getProperty("tickshard.jar", "target/tickshard.jar")).toAbsolutePath();
    List<String> command = new ArrayList<>(launcher);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    // A node that stalls (unreachable, downed) leaves its collector's account beside its log.
    // Absolute: the node runs in its work directory, where a relative path would not resolve.
    command.add("-Xlog:gc:file=" + workDir(logDir, name).resolve("gc.log").toAbsolutePath());
    command.addAll(jvmArgs);
    String extra = System.getProperty("proof.jvm-args", "").replace("{name}", name);
    for (String arg : extra.trim().split("\\s+")) {
      if (!arg.isEmpty()) {
        command.add(arg); // e.g. a flight recording when finding where a proof's time goes
      }
    }
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(jar.toString());
    Map<String, String> env = new HashMap<>(environment);
    env.put("TICKSHARD_HOST", host);
    env.put("TICKSHARD_HTTP_PORT", String.valueOf(FreePorts.next()));
    env.put("TICKSHARD_CLUSTER_PORT", String.valueOf(clusterPort));
    env.put("TICKSHARD_MANAGEMENT_PORT", String.valueOf(FreePorts.next()));
    return launch(name, host, command, env, workDir(logDir, name), log(logDir, name));
  }

  private static NodeProcess launch(
      String name,
      String host,
      List<String> command,
      Map<String, String> env,
      Path workDir,
      Path log)
      throws IOException {
    Files.createDirectories(workDir);
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    NodeProcess node =
        new NodeProcess(
            name,
            host,
            Integer.parseInt(env.get("TICKSHARD_HTTP_PORT")),
            Integer.parseInt(env.get("TICKSHARD_CLUSTER_PORT")),
            Integer.parseInt(env.get("TICKSHARD_MANAGEMENT_PORT")),
            command,
            env,
            workDir,
            builder.start());
    node.pump(log);
    return node;
  }

  /**
   * The same node started again once this one has exited: same command, ports and work directory
   * (so its embedded journal keeps what it had), its output to {@code log}.
   */
  public NodeProcess startAgain(Path log) throws IOException {
    if (process.isAlive()) {
      throw new IllegalStateException(name + " still runs");
    }
    return launch(name, host, command, environment, workDir, log);
  }

  public static Path log(Path logDir, String name) {
    return logDir.resolve(name + ".log");
  }

  public static Path workDir(Path logDir, String name) {
    return logDir.resolve(name + "-work");
  }

  private void pump(Path log) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
                for (String line; (line = lines.readLine()) != null; ) {
                  out.println(line);
                  if (line.startsWith("tickshard node") && line.endsWith("started")) {
                    started.complete(null);
                  }
                }
                started.completeExceptionally(
                    new IllegalStateException(name + " exited; see " + log));
              } catch (IOException e) {
                started.completeExceptionally(e);
              }
            },
            name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  public void awaitStarted(Duration timeout) throws Exception {
    started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Started (its banner printed), then ready: its management port's /ready answers 200. */
  public void awaitReady() throws Exception {
    awaitStarted(Duration.ofSeconds(120));
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> StreamsApi.status(management() + "/ready") == 200);
  }

  /** Ready now: its management port's /ready answers 200. */
  public boolean ready() {
    return StreamsApi.status(management() + "/ready") == 200;
  }

  public String name() {
    return name;
  }

  public int httpPort() {
    return httpPort;
  }

  public int clusterPort() {
    return clusterPort;
  }

  public int managementPort() {
    return managementPort;
  }

  public String management() {
    return "http://" + host + ":" + managementPort;
  }

  public String api() {
    return "http://" + host + ":" + httpPort;
  }

  /** host:port of its remoting, as status answers name nodes. */
  public String node() {
    return host + ":" + clusterPort;
  }

  public boolean alive() {
    return process.isAlive();
  }

  public int exitValue() {
    return process.exitValue();
  }

  /** The node's JVM, for what it started (its descendants). */
  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** SIGKILL: no shutdown hook, no leaving; the kernel closes its sockets. */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM: coordinated shutdown, hand-off, leave. Through the process handle, because {@code
   * Process.destroy()} also closes our end of its output, and the node's log would lose its own
   * account of the shutdown.
   */
  public boolean stop(Duration timeout) throws InterruptedException {
    process.toHandle().destroy();
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public String toString() {
    return name + " (" + node() + ")";
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive() && !stop(Duration.ofSeconds(30))) {
      kill();
    }
  }
}
