package io.tickshard.streams.journal;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * A plain JDBC connection to the journal's database ({@code tickshard.db}), for the few reads
 * tickshard makes beside the journal plugin (and the socket slots' leases). A stopped or
 * unreachable server fails the call after {@code timeout} instead of hanging it.
 */
public final class JournalDatabase {
  private JournalDatabase() {}

  /**
   * @throws SQLException when the database cannot be reached (its message may name the URL: do not
   *     log it)
   */
  public static Connection connect(Config config, Duration timeout) throws SQLException {
    Config db = config.getConfig("tickshard.db");
    String seconds = String.valueOf(Math.max(1, timeout.toSeconds()));
    Properties properties = new Properties();
    properties.setProperty("user", db.getString("user"));
    properties.setProperty("password", db.getString("password"));
    properties.setProperty("connectTimeout", seconds);
    properties.setProperty("socketTimeout", seconds);
    properties.setProperty("loginTimeout", seconds);
    return DriverManager.getConnection(db.getString("url"), properties);
  }
}
