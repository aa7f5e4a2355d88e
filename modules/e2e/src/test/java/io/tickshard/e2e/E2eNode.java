package io.tickshard.e2e;

import io.tickshard.service.rig.FreePorts;
import io.tickshard.service.rig.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One node from the packaged jar for a test class, on 127.0.0.1 with free ports and a journal of
 * its own (a fresh embedded PostgreSQL: streams of an earlier run must not come back). Its log
 * stays in {@code target/e2e-nodes/}; its data directory goes when it stops.
 */
final class E2eNode implements AutoCloseable {
  private NodeProcess process;
  private final Path logs;
  private final Path workDir;
  private int starts = 1;
  final NodeApi api;

  private E2eNode(NodeProcess process, Path logs, Path workDir) {
    this.process = process;
    this.logs = logs;
    this.workDir = workDir;
    this.api = new NodeApi(process.api());
  }

  static E2eNode start(String name, Map<String, String> environment, Map<String, String> properties)
      throws Exception {
    Path logs =
        Files.createTempDirectory(
            Files.createDirectories(Path.of("target", "e2e-nodes")), name + "-");
    NodeProcess process =
        NodeProcess.start(
            name,
            FreePorts.next(),
            environment,
            // As on a two-core machine, which this one is.
            List.of("-XX:ActiveProcessorCount=2"),
            properties,
            logs);
    E2eNode node = new E2eNode(process, logs, NodeProcess.workDir(logs, name));
    node.awaitReady(NodeProcess.log(logs, name));
    return node;
  }

  private void awaitReady(Path log) throws Exception {
    try {
      process.awaitReady();
    } catch (Exception | AssertionError e) {
      close();
      throw new IllegalStateException("the node did not get ready; see " + log, e);
    }
  }

  /** Its management address (/metrics, /ready). */
  String management() {
    return process.management();
  }

  /**
   * Restarts the node as an operator's restart would (SIGTERM, then the same command): same ports,
   * same journal. Answers once it is ready again.
   */
  void restart() throws Exception {
    if (!process.stop(Duration.ofSeconds(60))) {
      process.kill();
    }
    Path log = logs.resolve(process.name() + "-start" + ++starts + ".log");
    process = process.startAgain(log);
    awaitReady(log);
  }

  @Override
  public void close() throws Exception {
    process.close();
    Path data = workDir.resolve("data");
    if (Files.isDirectory(data)) {
      try (Stream<Path> paths = Files.walk(data)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        // Left behind under target/: `mvn clean` takes it.
      }
    }
  }
}
