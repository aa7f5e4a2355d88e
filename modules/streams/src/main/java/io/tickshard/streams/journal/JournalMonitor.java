package io.tickshard.streams.journal;

import com.typesafe.config.Config;
import io.tickshard.streams.NodeName;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this node reaches the journal's database, checked every {@code
 * tickshard.journal.check-interval} on one kept connection, so that a health answer or a readiness
 * probe reads a cached value instead of opening a connection each time. Logs one line when the
 * journal goes away and one when it is back.
 */
public final class JournalMonitor implements Extension {

  /**
   * @param up the last check reached the database
   * @param since when it last changed between up and down (the node's start at first)
   * @param everUp the database was reached at least once since this node started
   */
  public record Reading(boolean up, Instant since, Instant checkedAt, boolean everUp) {}

  private static final Logger LOG = LoggerFactory.getLogger(JournalMonitor.class);

  private static final ExtensionId<JournalMonitor> ID =
      new ExtensionId<>() {
        @Override
        public JournalMonitor createExtension(ActorSystem<?> system) {
          return new JournalMonitor(system);
        }
      };

  /** This node's monitor; the first call starts its checks. */
  public static JournalMonitor get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  private final Config config;
  private final Duration timeout;
  private final String node;
  private final Cancellable checks;
  private final Executor blocking;
  // A check that hangs for its whole timeout must not have the next one start beside it.
  private final AtomicBoolean checking = new AtomicBoolean();
  private volatile Reading reading;
  // Only the check touches it, and checks never overlap (each is scheduled after the last).
  private Connection connection;

  private JournalMonitor(ActorSystem<?> system) {
    config = system.settings().config();
    timeout = config.getDuration("tickshard.journal.check-timeout");
    node = NodeName.of(system);
    reading = new Reading(false, Instant.now(), null, false);
    // JDBC blocks: never on the dispatcher that runs actors.
    blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    Duration interval = config.getDuration("tickshard.journal.check-interval");
    checks =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                Duration.ZERO, interval, this::check, system.executionContext());
    system.getWhenTerminated().thenRun(this::close);
  }

  /** The latest reading; never blocks. */
  public Reading reading() {
    return reading;
  }

  /** Runs on the scheduler: hands the check to the blocking pool, unless one still runs. */
  private void check() {
    if (!checking.compareAndSet(false, true)) {
      return;
    }
    blocking.execute(
        () -> {
          try {
            record(reachable());
          } finally {
            checking.set(false);
          }
        });
  }

  private void record(boolean up) {
    Instant now = Instant.now();
    Reading last = reading;
    if (up == last.up() && last.checkedAt() != null) {
      reading = new Reading(up, last.since(), now, last.everUp());
      return;
    }
    if (up && last.checkedAt() != null) {
      LOG.info(
          "journal back on {} after {} s down",
          node,
          Duration.between(last.since(), now).toSeconds());
    } else if (!up) {
      LOG.warn("journal unreachable from {}: starts and stops answer 503 until it is back", node);
    }
    reading = new Reading(up, now, now, last.everUp() || up);
  }

  private boolean reachable() {
    try {
      if (connection == null || connection.isClosed()) {
        connection = JournalDatabase.connect(config, timeout);
      }
      if (connection.isValid((int) Math.max(1, timeout.toSeconds()))) {
        return true;
      }
    } catch (SQLException e) {
      // Down; the next check opens a new connection. The message may name the URL: not logged.
    }
    closeConnection();
    return false;
  }

  private void closeConnection() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException e) {
      // It was broken already.
    }
    connection = null;
  }

  private void close() {
    checks.cancel();
    closeConnection();
  }
}
