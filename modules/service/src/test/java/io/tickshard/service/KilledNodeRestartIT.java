package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.service.rig.FreePorts;
import io.tickshard.service.rig.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node on the embedded database killed with {@code kill -9} (no shutdown hook runs) starts again
 * on the same data directory at the first try, and leaves no PostgreSQL behind once stopped.
 */
class KilledNodeRestartIT {
  private static final Duration READY = Duration.ofSeconds(60);

  @Test
  void a_node_killed_with_kill_9_takes_its_postgres_along_and_starts_again_at_the_first_try()
      throws Exception {
    Path logs = Files.createTempDirectory("tickshard-killed");
    Path data = logs.resolve("data");
    NodeProcess first = start("first", data, logs);
    long postgres = postmasterOf(data);
    assertThat(postgres).as("the node's PostgreSQL").isPositive();

    first.kill(); // the node only: its PostgreSQL runs in a session of its own
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.of(postgres).map(p -> !p.isAlive()).orElse(true));

    NodeProcess second = start("second", data, logs);
    stopAndExpectNothingLeft(second, data);
  }

  @Test
  void a_postgres_orphaned_by_a_killed_node_is_stopped_by_the_next_start() throws Exception {
    Path logs = Files.createTempDirectory("tickshard-orphan");
    Path data = logs.resolve("data");
    NodeProcess first = start("first", data, logs);
    long postgres = postmasterOf(data);
    assertThat(postgres).as("the node's PostgreSQL").isPositive();

    // As a kill of the node's whole process group would: what ties PostgreSQL to it dies too.
    first.handle().descendants().forEach(ProcessHandle::destroyForcibly);
    first.kill();
    // Nothing stops it now: it stays up (the tether would have stopped it within a second).
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> ProcessHandle.of(postgres).map(ProcessHandle::isAlive).orElse(false));

    NodeProcess second = start("second", data, logs);
    assertThat(ProcessHandle.of(postgres).filter(ProcessHandle::isAlive)).as("orphan").isEmpty();
    assertThat(Files.readString(NodeProcess.log(logs, "second")))
        .contains("PostgreSQL (PID " + postgres + ") was still running in");
    stopAndExpectNothingLeft(second, data);
  }

  /** Started and ready at the first try, or the test fails. */
  private NodeProcess start(String name, Path data, Path logs) throws Exception {
    NodeProcess node =
        NodeProcess.start(
            name,
            FreePorts.next(),
            Map.of(),
            List.of(),
            Map.of("tickshard.db.embedded-data-dir", data.resolve("postgres").toString()),
            logs);
    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              // Exited instead of getting ready: fail at once, naming the log.
              assertThat(node.alive())
                  .as(name + " exited; see " + NodeProcess.log(logs, name))
                  .isTrue();
              return node.ready();
            });
    return node;
  }

  private static long postmasterOf(Path data) throws Exception {
    return OrphanedPostgres.namedProcessId(data.resolve("postgres").resolve("postmaster.pid"));
  }

  private static void stopAndExpectNothingLeft(NodeProcess node, Path data) throws Exception {
    long postgres = postmasterOf(data);
    assertThat(node.stop(Duration.ofSeconds(60))).as("exits after SIGTERM").isTrue();
    String directory = data.resolve("postgres").toString();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                ProcessHandle.of(postgres).map(p -> !p.isAlive()).orElse(true)
                    && ProcessHandle.allProcesses()
                        .noneMatch(
                            p ->
                                p.info()
                                    .commandLine()
                                    .map(c -> c.contains(directory))
                                    .orElse(false)));
  }
}
