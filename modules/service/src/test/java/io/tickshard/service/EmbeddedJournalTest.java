package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dev run's journal database: an acknowledged write is durable, and a stale {@code
 * postmaster.pid} from an earlier run never stops it from starting nor harms the process it names.
 */
class EmbeddedJournalTest {
  private static Path data;
  private static List<String> runningPidFile;

  @BeforeAll
  static void initialise() throws Exception {
    data = Files.createTempDirectory("tickshard-journal").resolve("postgres");
    try (EmbeddedJournal journal = EmbeddedJournal.start(data)) {
      runningPidFile = Files.readAllLines(data.resolve("postmaster.pid"));
    }
  }

  @AfterAll
  static void noServerLeft() throws Exception {
    assertThat(data.resolve("postmaster.pid")).doesNotExist();
  }

  @Test
  void commits_are_synchronous_and_flushed_to_disk() throws Exception {
    try (EmbeddedJournal journal = EmbeddedJournal.start(data)) {
      assertThat(setting(journal, "synchronous_commit")).isEqualTo("on");
      assertThat(setting(journal, "fsync")).isEqualTo("on");
      assertThat(setting(journal, "full_page_writes")).isEqualTo("on");
    }
  }

  @Test
  void a_lock_file_naming_a_live_process_that_is_not_postgres_is_removed_and_the_process_lives()
      throws Exception {
    Process unrelated = new ProcessBuilder("sleep", "60").start();
    try {
      writePidFile(unrelated.pid());
      try (EmbeddedJournal journal = EmbeddedJournal.start(data)) {
        assertThat(setting(journal, "fsync")).isEqualTo("on");
      }
      assertThat(unrelated.isAlive()).isTrue();
    } finally {
      unrelated.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void a_lock_file_naming_a_dead_process_is_left_to_postgres_which_starts() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    writePidFile(gone.pid());
    try (EmbeddedJournal journal = EmbeddedJournal.start(data)) {
      assertThat(setting(journal, "fsync")).isEqualTo("on");
    }
  }

  /** The file a server killed with SIGKILL leaves behind, naming {@code pid}. */
  private static void writePidFile(long pid) throws Exception {
    List<String> lines = new ArrayList<>(runningPidFile);
    lines.set(0, String.valueOf(pid));
    Files.write(data.resolve("postmaster.pid"), lines);
  }

  private static String setting(EmbeddedJournal journal, String name) throws Exception {
    try (Connection connection =
            DriverManager.getConnection(journal.jdbcUrl(), journal.user(), journal.password());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SHOW " + name)) {
      result.next();
      return result.getString(1);
    }
  }
}
