package io.tickshard.streams.testkit;

import io.tickshard.streams.journal.JournalSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
  private EmbeddedPostgres server;
  private final EmbeddedDatabase.Database database;
  private ProcessHandle postmaster;
  private final Path dataDirectory;
  private final int port;
  private List<ProcessHandle> paused = List.of();

  private FaultyDatabase(
      EmbeddedPostgres server, EmbeddedDatabase.Database database, Path dataDirectory, int port) {
    this.server = server;
    this.database = database;
    this.postmaster = postmaster(server);
    this.dataDirectory = dataDirectory;
    this.port = port;
  }

  private static EmbeddedPostgres server(Path dataDirectory, int port) throws IOException {
    // Acknowledged must mean written: the test checks what the journal holds after faults.
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setCleanDataDirectory(false)
        .setPort(port)
        .setServerConfig("synchronous_commit", "on")
        .start();
  }

  public static FaultyDatabase start() {
    try {
      Path dataDirectory = Files.createTempDirectory("tickshard-faulty-journal");
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      EmbeddedPostgres server = server(dataDirectory, port);
      EmbeddedDatabase.Database database =
          new EmbeddedDatabase.Database(
              server.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
      JournalSchema.ensure(database.url(), database.user(), database.password());
      return new FaultyDatabase(server, database, dataDirectory, port);
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

  /** Kills the server as a crash does ({@code kill -9}): connections break at once. */
  public synchronized void crash() {
    List<ProcessHandle> all =
        Stream.concat(Stream.of(postmaster), postmaster.descendants()).toList();
    signal("KILL", all);
    all.forEach(p -> p.onExit().join());
  }

  /** Starts the server again on its data directory and port, after {@link #crash()}. */
  public synchronized void restart() {
    try {
      try {
        server.close(); // releases its lock on the data directory; the server is gone already
      } catch (IOException | RuntimeException e) {
        // pg_ctl stop of a killed server fails; nothing is left to stop
      }
      server = server(dataDirectory, port);
      postmaster = postmaster(server);
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start again", e);
    }
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
      // A backend may exit between listing and signalling it: kill then fails for that one
      // process only, and the others got the signal. So only a hung kill is an error.
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("kill -" + signal + " did not finish: " + command);
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
