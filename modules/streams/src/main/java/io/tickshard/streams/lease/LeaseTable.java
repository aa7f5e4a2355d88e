package io.tickshard.streams.lease;

import com.typesafe.config.Config;
import io.tickshard.streams.journal.JournalDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The leases' rows in the journal's database ({@code tickshard_lease}): one per lease name, its
 * owner and when it expires, always by the database's clock, so that the nodes' clocks never decide
 * who holds what.
 */
final class LeaseTable {
  private final Config config;
  private final Duration timeout;

  LeaseTable(Config config, Duration timeout) {
    this.config = config;
    this.timeout = timeout;
  }

  /** Takes the lease if it is free, expired or already this owner's; whether the owner has it. */
  boolean acquire(String name, String owner, Duration ttl) throws SQLException {
    try (Connection connection = JournalDatabase.connect(config, timeout);
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO tickshard_lease (name, owner, expires_at)"
                    + " VALUES (?, ?, now() + ? * interval '1 millisecond')"
                    + " ON CONFLICT (name) DO UPDATE"
                    + " SET owner = excluded.owner, expires_at = excluded.expires_at"
                    + " WHERE tickshard_lease.owner = excluded.owner"
                    + " OR tickshard_lease.expires_at < now()"
                    + " RETURNING owner")) {
      insert.setString(1, name);
      insert.setString(2, owner);
      insert.setLong(3, ttl.toMillis());
      try (ResultSet row = insert.executeQuery()) {
        return row.next();
      }
    }
  }

  /** Extends the owner's lease; false when it is no longer the owner's (taken after it expired). */
  boolean renew(String name, String owner, Duration ttl) throws SQLException {
    try (Connection connection = JournalDatabase.connect(config, timeout);
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE tickshard_lease SET expires_at = now() + ? * interval '1 millisecond'"
                    + " WHERE name = ? AND owner = ?")) {
      update.setLong(1, ttl.toMillis());
      update.setString(2, name);
      update.setString(3, owner);
      return update.executeUpdate() == 1;
    }
  }

  /** Gives the lease up, if the owner still has it. */
  boolean release(String name, String owner) throws SQLException {
    try (Connection connection = JournalDatabase.connect(config, timeout);
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM tickshard_lease WHERE name = ? AND owner = ?")) {
      delete.setString(1, name);
      delete.setString(2, owner);
      return delete.executeUpdate() == 1;
    }
  }
}
