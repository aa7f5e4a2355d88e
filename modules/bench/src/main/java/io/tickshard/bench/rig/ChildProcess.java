package io.tickshard.bench.rig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One process the tool started (PostgreSQL, the simulator, a node, a baseline server): its output
 * goes to a log file, it is stopped with SIGTERM and, failing that, SIGKILL, and its CPU time is
 * read from {@code /proc}.
 */
public final class ChildProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final CompletableFuture<String> awaited = new CompletableFuture<>();
  private volatile Predicate<String> awaitedLine = line -> false;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  public static ChildProcess start(
      String name, List<String> command, Map<String, String> environment, Path runDir)
      throws IOException {
    Path workDir = Files.createDirectories(runDir.resolve(name));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(environment);
    ChildProcess child =
        new ChildProcess(name, builder.start(), runDir.resolve("logs").resolve(name + ".log"));
    Files.createDirectories(child.log.getParent());
    child.pump();
    return child;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** Waits for an output line that {@code wanted} accepts; fails if the process exits first. */
  public String awaitLine(Predicate<String> wanted, Duration timeout) throws Exception {
    awaitedLine = wanted;
    try {
      return awaited.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(name + " did not come up in " + timeout + "; see " + log);
    }
  }

  /** User plus system CPU time of the process so far, in seconds. */
  public double cpuSeconds() {
    return ProcessCpu.seconds(pid());
  }

  public boolean alive() {
    return process.isAlive();
  }

  private void pump() {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                  PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
                for (String line; (line = lines.readLine()) != null; ) {
                  out.println(line);
                  if (!awaited.isDone() && awaitedLine.test(line)) {
                    awaited.complete(line);
                  }
                }
              } catch (IOException e) {
                // The process is gone; what it wrote is in the log.
              }
              awaited.completeExceptionally(
                  new IllegalStateException(name + " exited; see " + log));
            },
            name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** SIGTERM, then SIGKILL after 30 s: nothing the tool started outlives it. */
  @Override
  public void close() throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.toHandle().destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
