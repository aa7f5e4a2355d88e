package io.tickshard.service;

import io.tickshard.streams.journal.JournalMonitor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Management readiness check: this node has reached the journal's database since it started. It
 * reads the {@link JournalMonitor}'s last check, so a probe costs no connection.
 *
 * <p>A later outage does not make the node unready: it still answers status, listings, health and
 * live ticks (only starts and stops need the journal, and they answer 503 journal-unavailable), and
 * a load balancer that took every node out would cut all of that too. {@code GET /api/v1/health}
 * says {@code journal: down} meanwhile.
 */
public final class DatabaseReadiness implements Supplier<CompletionStage<Boolean>> {
  private final JournalMonitor journal;

  public DatabaseReadiness(ActorSystem system) {
    this.journal = JournalMonitor.get(Adapter.toTyped(system));
  }

  @Override
  public CompletionStage<Boolean> get() {
    return CompletableFuture.completedFuture(journal.reading().everUp());
  }
}
