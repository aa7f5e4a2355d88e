package io.tickshard.streams.journal;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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
  // The entities whose latest event is the started one (its manifest is the event's class name,
  // as pekko-serialization-jackson writes it).
  private static final String QUERY =
      "SELECT j.persistence_id FROM event_journal j"
          + " WHERE j.persistence_id LIKE ? AND NOT j.deleted"
          + " AND (j.event_ser_manifest LIKE ? OR j.event_ser_manifest LIKE ?)"
          + " AND j.sequence_number = (SELECT max(k.sequence_number) FROM event_journal k"
          + " WHERE k.persistence_id = j.persistence_id)";

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private StartedStreams() {}

  /**
   * The entity ids (persistence ids less {@code prefix}) whose latest event is a {@code started}
   * (written as that class, or under its former name {@code startedBefore}); blocks on JDBC, 10 s
   * at most.
   *
   * @throws SQLException when the journal cannot be read (its message may name the URL)
   */
  public static List<String> entityIds(
      Config config, String prefix, Class<?> started, String startedBefore) throws SQLException {
    try (Connection connection = JournalDatabase.connect(config, TIMEOUT);
        PreparedStatement query = connection.prepareStatement(QUERY)) {
      query.setQueryTimeout((int) TIMEOUT.toSeconds());
      query.setString(1, prefix.replace("%", "\\%").replace("_", "\\_") + "%");
      query.setString(2, started.getName() + "%"); // a migration may suffix a version
      query.setString(3, startedBefore + "%");
      List<String> ids = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getString(1).substring(prefix.length()));
        }
      }
      return ids;
    }
  }
}
