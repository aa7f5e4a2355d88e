package io.tickshard.service;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The dev run's journal: a real PostgreSQL from embedded binaries, its data kept under {@code
 * ./data/postgres} so that streams survive a restart of the node.
 */
final class EmbeddedJournal implements AutoCloseable {
  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedJournal(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  static EmbeddedJournal start(Path dataDirectory) {
    return start(dataDirectory, 0);
  }

  /** On {@code port}, or any free port when it is 0. */
  static EmbeddedJournal start(Path dataDirectory, int port) {
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder().setDataDirectory(dataDirectory).setCleanDataDirectory(false);
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres postgres = builder.start();
      return new EmbeddedJournal(postgres, dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "the embedded PostgreSQL did not start in " + dataDirectory.toAbsolutePath(), e);
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
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("the embedded PostgreSQL did not stop cleanly", e);
    }
  }
}
