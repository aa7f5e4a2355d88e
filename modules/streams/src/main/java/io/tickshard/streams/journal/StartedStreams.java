package io.tickshard.streams.journal;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The streams whose last journal event says "started": the intent every acknowledged start left,
 * read straight from the stream entities' own events.
 *
 * <p>Remember-entities keeps its own records of which shards and entities run (the coordinator's
 * and each shard's store). A write there can fail after the start itself was acknowledged (the
 * journal went away between the two), and a stream that is in neither record does not come back
 * after a restart of the cluster. This list does not depend on those records.
 */
public final class StartedStreams {
  private static final String PREFIX = "StreamEntity|";

  // The latest event of each stream entity, when it is a StreamStarted (the manifest is the
  // event's class name, as pekko-serialization-jackson writes it).
  private static final String QUERY =
      "SELECT j.persistence_id FROM event_journal j"
          + " WHERE j.persistence_id LIKE ? AND NOT j.deleted"
          + " AND j.event_ser_manifest LIKE '%StreamEntity$StreamStarted%'"
          + " AND j.sequence_number = (SELECT max(k.sequence_number) FROM event_journal k"
          + " WHERE k.persistence_id = j.persistence_id)";

  private StartedStreams() {}

  /**
   * The entity ids of the started streams; blocks on JDBC.
   *
   * @throws SQLException when the journal cannot be read (its message may name the URL)
   */
  public static List<String> entityIds(Config config) throws SQLException {
    Config db = config.getConfig("tickshard.db");
    try (Connection connection =
            DriverManager.getConnection(
                db.getString("url"), db.getString("user"), db.getString("password"));
        PreparedStatement query = connection.prepareStatement(QUERY)) {
      query.setString(1, PREFIX + "%");
      List<String> ids = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getString(1).substring(PREFIX.length()));
        }
      }
      return ids;
    }
  }
}
