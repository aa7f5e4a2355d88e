package io.tickshard.streams.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import io.tickshard.streams.testkit.FaultyDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.coordination.lease.javadsl.Lease;
import org.apache.pekko.coordination.lease.javadsl.LeaseProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The socket slots' lease against a real PostgreSQL: one owner at a time, a crashed owner's lease
 * free once its row expires by the database's clock, and an owner told it lost the lease when its
 * row was taken or when it could not renew it, before anyone else could take it.
 */
class DatabaseLeaseTest {
  private static final String PATH = "test-lease";
  private static final Duration TTL = Duration.ofMillis(1500);
  private static final Duration INTERVAL = Duration.ofMillis(500);

  private static EmbeddedDatabase.Database database;
  private static ActorSystem system;

  @BeforeAll
  static void start() {
    database = EmbeddedDatabase.newDatabase();
    system = ActorSystem.create("lease-test", config(database));
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static Config config(EmbeddedDatabase.Database db) {
    return ConfigFactory.parseString(
            """
            tickshard.db { url = "%s", user = "%s", password = "%s" }
            %s = ${tickshard.upstream.slot-lease} {
              heartbeat-timeout = %d ms
              heartbeat-interval = %d ms
              lease-operation-timeout = 1s
            }
            """
                .formatted(
                    db.url(), db.user(), db.password(), PATH, TTL.toMillis(), INTERVAL.toMillis()))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  private static Lease lease(ActorSystem in, String name, String owner) {
    return LeaseProvider.get(in).getLease(name, PATH, owner);
  }

  private static boolean answer(CompletionStage<Boolean> answer) throws Exception {
    return answer.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void one_owner_at_a_time_and_kept_by_its_renewals() throws Exception {
    Lease a = lease(system, "slot-a", "node-a");
    Lease b = lease(system, "slot-a", "node-b");
    assertThat(answer(a.acquire())).isTrue();
    assertThat(answer(a.acquire())).as("its own lease, again").isTrue();
    assertThat(answer(b.acquire())).isFalse();

    // Past the row's first expiry, only renewals keep it.
    Instant firstExpiry = expiresAt("slot-a");
    await()
        .atMost(TTL.multipliedBy(3))
        .until(() -> Instant.now().isAfter(firstExpiry.plus(INTERVAL)));
    assertThat(expiresAt("slot-a")).as("renewed").isAfter(firstExpiry);
    assertThat(a.checkLease()).isTrue();
    assertThat(answer(b.acquire())).isFalse();

    assertThat(answer(a.release())).isTrue();
    assertThat(a.checkLease()).isFalse();
    assertThat(answer(b.acquire())).isTrue();
    assertThat(answer(b.release())).isTrue();
  }

  @Test
  void a_crashed_owner_s_lease_is_free_once_its_row_expires_by_the_database_s_clock()
      throws Exception {
    // What a node killed while holding it leaves: a row nobody renews.
    EmbeddedDatabase.execute(
        database,
        "INSERT INTO tickshard_lease VALUES ('slot-c', 'killed-node',"
            + " now() + interval '1200 milliseconds')");
    Instant expires = expiresAt("slot-c");
    Lease successor = lease(system, "slot-c", "node-b");
    assertThat(answer(successor.acquire())).isFalse();

    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> answer(successor.acquire()));
    assertThat(Instant.now()).as("taken only after the row expired").isAfter(expires);
    assertThat(answer(successor.release())).isTrue();
  }

  @Test
  void an_owner_whose_row_was_taken_hears_it_at_its_next_renewal() throws Exception {
    Lease a = lease(system, "slot-t", "node-a");
    CompletableFuture<Optional<Throwable>> lost = new CompletableFuture<>();
    assertThat(answer(a.acquire(lost::complete))).isTrue();

    EmbeddedDatabase.execute(
        database, "UPDATE tickshard_lease SET owner = 'node-z' WHERE name = 'slot-t'");

    Optional<Throwable> reason =
        lost.get(INTERVAL.multipliedBy(4).toMillis(), TimeUnit.MILLISECONDS);
    assertThat(reason).as("taken: no failure, a fact").isEmpty();
    assertThat(a.checkLease()).isFalse();
    assertThat(answer(a.release())).as("not its row any more").isFalse();
  }

  @Test
  void an_owner_that_cannot_renew_hears_it_lost_before_anyone_else_could_take_it()
      throws Exception {
    try (FaultyDatabase faulty = FaultyDatabase.start()) {
      ActorSystem other = ActorSystem.create("lease-outage", config(faulty.database()));
      try {
        Lease a = lease(other, "slot-o", "node-a");
        CompletableFuture<Optional<Throwable>> lost = new CompletableFuture<>();
        assertThat(answer(a.acquire(lost::complete))).isTrue();

        faulty.pause(); // nothing answers: renewals hang until their timeout
        Optional<Throwable> reason =
            lost.get(TTL.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
        Instant heard = Instant.now();
        assertThat(reason).isPresent();
        assertThat(reason.get().getMessage())
            .contains("slot-o")
            .doesNotContain(faulty.database().url())
            .doesNotContain("jdbc:");
        assertThat(a.checkLease()).isFalse();

        faulty.resume();
        assertThat(heard)
            .as("told before the row could pass to anyone else")
            .isBefore(expiresAt(faulty.database(), "slot-o"));
      } finally {
        other.terminate();
      }
    }
  }

  private static Instant expiresAt(String name) throws Exception {
    return expiresAt(database, name);
  }

  private static Instant expiresAt(EmbeddedDatabase.Database db, String name) throws Exception {
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT expires_at FROM tickshard_lease WHERE name = '" + name + "'")) {
      assertThat(row.next()).isTrue();
      return row.getTimestamp(1).toInstant();
    }
  }
}
