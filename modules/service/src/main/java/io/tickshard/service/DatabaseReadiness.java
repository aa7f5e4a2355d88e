package io.tickshard.service;

import com.typesafe.config.Config;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Management readiness check: the journal database answers. Listed under {@code
 * pekko.management.health-checks.readiness-checks}; pekko-management creates it with the system.
 */
public final class DatabaseReadiness implements Supplier<CompletionStage<Boolean>> {
  private final Config db;
  private final ActorSystem system;

  public DatabaseReadiness(ActorSystem system) {
    this.system = system;
    this.db = system.settings().config().getConfig("tickshard.db");
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Connection connection =
              DriverManager.getConnection(
                  db.getString("url"), db.getString("user"), db.getString("password"))) {
            return connection.isValid(2);
          } catch (Exception e) {
            return false;
          }
        },
        // JDBC blocks: keep it off the dispatcher that runs actors.
        system.dispatchers().lookup("pekko.actor.default-blocking-io-dispatcher"));
  }
}
