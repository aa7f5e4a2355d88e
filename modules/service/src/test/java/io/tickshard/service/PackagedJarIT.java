package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, started the way the README starts it (embedded PostgreSQL, built-in simulator)
 * in a process of its own: it answers, streams, and leaves nothing running after SIGTERM.
 */
class PackagedJarIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void the_jar_runs_a_node_on_embedded_defaults_and_stops_cleanly() throws Exception {
    Path jar = Path.of("target", "tickshard.jar").toAbsolutePath();
    assertThat(jar).exists();
    Path workDir = Files.createTempDirectory("tickshard-it");
    int httpPort = FreePorts.next();
    int managementPort = FreePorts.next();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // As on a two-core machine, where the JDK's common pool would have one thread.
                "-XX:ActiveProcessorCount=2",
                "-jar",
                jar.toString())
            .directory(workDir.toFile())
            .redirectErrorStream(true);
    builder
        .environment()
        .putAll(
            Map.of(
                "TICKSHARD_HTTP_PORT", String.valueOf(httpPort),
                "TICKSHARD_CLUSTER_PORT", String.valueOf(FreePorts.next()),
                "TICKSHARD_MANAGEMENT_PORT", String.valueOf(managementPort)));
    Process process = builder.start();
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> started = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  output.add(line);
                  if (line.startsWith("tickshard node") && line.endsWith("started")) {
                    started.complete(null);
                  }
                }
                started.completeExceptionally(
                    new AssertionError("exited:\n" + String.join("\n", output)));
              } catch (Exception e) {
                started.completeExceptionally(e);
              }
            });
    reader.setDaemon(true);
    reader.start();
    try {
      started.get(120, TimeUnit.SECONDS);
      String api = "http://127.0.0.1:" + httpPort;

      assertThat(get(api + "/api/v1/streams").statusCode()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get("http://127.0.0.1:" + managementPort + "/ready").statusCode() == 200);
      HttpResponse<String> start =
          http.send(
              HttpRequest.newBuilder(URI.create(api + "/api/v1/streams"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"screenerType\":\"jar\",\"instruments\":[1333,2885]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(start.statusCode()).isEqualTo(201);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  get(api + "/api/v1/streams/type%3Ajar%7Cids%3A1333%2C2885")
                      .body()
                      .contains("\"status\":\"running\""));
      assertThat(String.join("\n", output)).doesNotContain("sim-token");
    } finally {
      process.destroy();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
    }
    // Nothing it started outlives it: no PostgreSQL of its data directory is left running.
    String data = workDir.resolve("data").toString();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                ProcessHandle.allProcesses()
                    .noneMatch(
                        p -> p.info().commandLine().map(c -> c.contains(data)).orElse(false)));
    assertThat(String.join("\n", output))
        .contains("journal       embedded PostgreSQL")
        .contains("common pool   2 threads (2 processors)");
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
