package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickshard.service.rig.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar's command line and its failed starts, as an operator sees them: {@code --help}
 * and {@code --version} answer at once and start nothing, another argument is refused with status
 * 2, and a start that cannot succeed ends, with status 1, in one line naming the variable to change
 * and no stack trace.
 */
class StartupErrorsIT {
  private static final String LOOPBACK = "127.0.0.1";

  /** What one run of the jar printed (stdout and stderr, interleaved) and its exit status. */
  private record Run(int status, List<String> lines, Path workDir) {
    String output() {
      return String.join("\n", lines);
    }

    String lastLine() {
      return lines.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("");
    }
  }

  @Test
  void help_names_the_environment_and_starts_nothing() throws Exception {
    Run run = run(List.of("--help"), Map.of(), line -> {}, Duration.ofSeconds(30));

    assertThat(run.status()).isZero();
    assertThat(run.output())
        .startsWith("tickshard: ")
        .contains("TICKSHARD_HTTP_PORT", "DHANHQ_ACCESS_TOKEN_FILE", "docs/operations.md");
    for (Usage.Variable variable : Usage.VARIABLES) {
      assertThat(run.output()).contains(variable.name());
    }
    assertNoLogLines(run);
    assertThat(run.workDir()).isEmptyDirectory(); // no journal, no data directory
  }

  @Test
  void version_prints_the_jar_s_version() throws Exception {
    Run run = run(List.of("--version"), Map.of(), line -> {}, Duration.ofSeconds(30));

    assertThat(run.status()).isZero();
    assertThat(run.lines()).hasSize(1);
    assertThat(run.lines().get(0)).matches("tickshard \\d+\\.\\d+\\.\\d+\\S*");
    assertThat(run.workDir()).isEmptyDirectory();
  }

  @Test
  void an_unknown_argument_is_refused_with_status_2() throws Exception {
    Run run = run(List.of("--port=8080"), Map.of(), line -> {}, Duration.ofSeconds(30));

    assertThat(run.status()).isEqualTo(2);
    assertThat(run.lines())
        .containsExactly("tickshard: unknown argument '--port=8080' (try --help)");
    assertThat(run.workDir()).isEmptyDirectory();
  }

  @Test
  void an_http_port_in_use_is_one_line_naming_the_variable() throws Exception {
    int port = FreePorts.next();
    try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK))) {
      Run run = run(List.of(), ports(port), line -> {}, Duration.ofSeconds(60));

      assertFailedInOneLine(run);
      assertThat(run.lastLine())
          .isEqualTo(
              "tickshard could not start: 127.0.0.1:"
                  + port
                  + " is in use; set TICKSHARD_HTTP_PORT to a free port");
      // Found before anything started: no embedded PostgreSQL, no actor system.
      assertThat(run.lines()).hasSize(1);
      assertThat(run.workDir()).isEmptyDirectory();
    }
  }

  @Test
  void an_http_port_taken_while_the_node_starts_is_one_line_too() throws Exception {
    int port = FreePorts.next();
    List<ServerSocket> taken = new ArrayList<>();
    try {
      // Taken once the check before the start has passed: the simulator starts before the actor
      // system, whose HTTP binding comes seconds later (after the cluster and the journal).
      Run run =
          run(
              List.of(),
              ports(port),
              line -> {
                if (taken.isEmpty() && line.contains("feed simulator listening")) {
                  try {
                    taken.add(new ServerSocket(port, 1, InetAddress.getByName(LOOPBACK)));
                  } catch (IOException e) {
                    throw new IllegalStateException("could not take " + port, e);
                  }
                }
              },
              Duration.ofSeconds(120));

      assertThat(taken).as("the port was taken while the node started").hasSize(1);
      assertFailedInOneLine(run);
      assertThat(run.lastLine())
          .isEqualTo(
              "tickshard could not start: 127.0.0.1:"
                  + port
                  + " is in use; set TICKSHARD_HTTP_PORT to a free port");
      // What it had started was stopped in order: the journal outlived the actor system.
      assertThat(run.output()).doesNotContain("journal unreachable");
    } finally {
      for (ServerSocket socket : taken) {
        socket.close();
      }
    }
  }

  @Test
  void an_unreachable_database_names_tickshard_db_url_and_never_the_password() throws Exception {
    int nothing = FreePorts.next(); // nothing listens there
    Map<String, String> environment = new java.util.HashMap<>(ports(FreePorts.next()));
    environment.put(
        "TICKSHARD_DB_URL",
        "jdbc:postgresql://127.0.0.1:" + nothing + "/tickshard?password=url-s3cret");
    environment.put("TICKSHARD_DB_PASSWORD", "env-s3cret");
    Run run = run(List.of(), environment, line -> {}, Duration.ofSeconds(60));

    assertFailedInOneLine(run);
    assertThat(run.lastLine())
        .startsWith("tickshard could not start: the database at jdbc:postgresql://127.0.0.1:")
        .contains("cannot be reached")
        .contains("set TICKSHARD_DB_URL");
    assertThat(run.output()).doesNotContain("url-s3cret").doesNotContain("env-s3cret");
  }

  private static void assertFailedInOneLine(Run run) {
    assertThat(run.status()).as(run.output()).isEqualTo(1);
    assertThat(run.lines())
        .as(run.output())
        .noneMatch(line -> line.matches("\\s+at .*"))
        .noneMatch(line -> line.startsWith("Caused by"))
        .hasSizeLessThan(15);
    assertThat(run.lines().stream().filter(l -> l.contains("could not start")))
        .as("one line says why")
        .hasSize(1);
  }

  private static void assertNoLogLines(Run run) {
    assertThat(run.lines())
        .as("no log lines")
        .noneMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*"))
        .noneMatch(line -> line.startsWith("{\"@timestamp\""))
        .noneMatch(line -> line.matches("\\s+at .*"));
  }

  /** The contract's port variables on loopback, HTTP on {@code http}, the rest free. */
  private static Map<String, String> ports(int http) {
    return Map.of(
        "TICKSHARD_HOST", LOOPBACK,
        "TICKSHARD_HTTP_PORT", String.valueOf(http),
        "TICKSHARD_CLUSTER_PORT", String.valueOf(FreePorts.next()),
        "TICKSHARD_MANAGEMENT_PORT", String.valueOf(FreePorts.next()));
  }

  /**
   * Runs {@code java -jar target/tickshard.jar args} in an empty directory of its own, {@code
   * onLine} seeing each line as it comes; killed if it has not exited within {@code timeout}.
   */
  private static Run run(
      List<String> args, Map<String, String> environment, Consumer<String> onLine, Duration timeout)
      throws Exception {
    Path jar = Path.of("target", "tickshard.jar").toAbsolutePath();
    assertThat(jar).exists();
    Path workDir = Files.createTempDirectory("tickshard-startup-it");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:+UseSerialGC");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    // Nothing from the test's own environment decides what the node does.
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("TICKSHARD_") || k.startsWith("DHANHQ_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    List<String> lines = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader output =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = output.readLine()) != null; ) {
                  synchronized (lines) {
                    lines.add(line);
                  }
                  onLine.accept(line);
                }
              } catch (IOException e) {
                // the process is gone; what it printed is in lines
              }
            },
            "startup-it-output");
    reader.setDaemon(true);
    reader.start();
    try {
      assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
          .as("exits within " + timeout)
          .isTrue();
      reader.join(TimeUnit.SECONDS.toMillis(10));
      synchronized (lines) {
        return new Run(process.exitValue(), List.copyOf(lines), workDir);
      }
    } finally {
      if (process.isAlive()) {
        process.toHandle().destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.toHandle().destroyForcibly();
        }
      }
    }
  }
}
