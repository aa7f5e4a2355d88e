package io.tickshard.streams.testkit;

import io.tickshard.streams.journal.JournalSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own, for a test that faults the journal the way an outage does: its
 * processes stopped ({@code SIGSTOP}: connections hang, nothing answers) and continued. Other tests
 * keep the shared server of {@link EmbeddedDatabase}.
 */
public final class FaultyDatabase implements AutoCloseable {
  private final EmbeddedPostgres server;
  private final EmbeddedDatabase.Database database;
  private final ProcessHandle postmaster;
  private List<ProcessHandle> paused = List.of();

  private FaultyDatabase(
      EmbeddedPostgres server, EmbeddedDatabase.Database database, ProcessHandle postmaster) {
    this.server = server;
    this.database = database;
    this.postmaster = postmaster;
  }

  public static FaultyDatabase start() {
    try {
      // Acknowledged must mean written: the test checks what the journal holds after faults.
      EmbeddedPostgres server =
          EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
      EmbeddedDatabase.Database database =
          new EmbeddedDatabase.Database(
              server.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
      JournalSchema.ensure(database.url(), database.user(), database.password());
      return new FaultyDatabase(server, database, postmaster(server));
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
  }

  /** The server process: the parent of any backend. */
  private static ProcessHandle postmaster(EmbeddedPostgres server) {
    try (Connection connection = server.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT pg_backend_pid()")) {
      result.next();
      return ProcessHandle.of(result.getLong(1))
          .flatMap(ProcessHandle::parent)
          .orElseThrow(() -> new IllegalStateException("no postmaster for the test database"));
    } catch (SQLException e) {
      throw new IllegalStateException("could not find the test database's server process", e);
    }
  }

  public EmbeddedDatabase.Database database() {
    return database;
  }

  /** Stops every process of the server: it accepts connections, and answers nothing. */
  public synchronized void pause() {
    paused = Stream.concat(Stream.of(postmaster), postmaster.descendants()).toList();
    signal("STOP", paused);
  }

  /** Lets the server go on where it stopped, as after a network blip or a VM pause. */
  public synchronized void resume() {
    List<ProcessHandle> all = new ArrayList<>(paused);
    postmaster.descendants().filter(p -> !all.contains(p)).forEach(all::add);
    List<ProcessHandle> alive = all.stream().filter(ProcessHandle::isAlive).toList();
    if (!alive.isEmpty()) {
      signal("CONT", alive);
    }
    paused = List.of();
  }

  private static void signal(String signal, List<ProcessHandle> processes) {
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    processes.forEach(p -> command.add(String.valueOf(p.pid())));
    try {
      Process kill = new ProcessBuilder(command).inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " failed for " + command);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    resume();
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
