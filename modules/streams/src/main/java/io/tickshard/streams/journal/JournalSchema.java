package io.tickshard.streams.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the journal, snapshot and durable-state tables pekko-persistence-jdbc uses on PostgreSQL,
 * when they are missing. Safe to run at every start: every statement is "if not exists", so that
 * several nodes starting together do not trip over each other.
 */
public final class JournalSchema {
  private static final String RESOURCE = "/tickshard-journal-schema.sql";

  private JournalSchema() {}

  public static void ensure(String jdbcUrl, String user, String password) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        Statement statement = connection.createStatement()) {
      for (String sql : statements()) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      // The message names the database and the statement, never the password.
      throw new IllegalStateException("could not create the journal schema: " + e.getMessage(), e);
    }
  }

  private static String[] statements() {
    try (InputStream in = JournalSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replaceAll("(?m)^--.*$", "")
          .split(";\\s*");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE, e);
    }
  }
}
