package io.tickshard.streams.lease;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.coordination.lease.LeaseException;
import org.apache.pekko.coordination.lease.LeaseSettings;
import org.apache.pekko.coordination.lease.javadsl.Lease;

/**
 * Pekko's {@link Lease} over the journal's PostgreSQL: a row per lease that names its owner and
 * expires {@code heartbeat-timeout} after its last renewal, by the database's clock. The owner
 * renews it every {@code heartbeat-interval}. It counts the lease as its own only until one
 * interval short of that timeout, measured from before the last renewal that got through: so when
 * renewals stop getting through (its database is away, or its process was paused), the lease-lost
 * callback comes at least one interval before anyone else can take the row. A renewal that finds
 * the row taken calls it at once.
 *
 * <p>Acquires and releases run in the order they were asked for, and one database call at a time,
 * on threads of the lease's own; the watch on the deadline runs on another, so a call that hangs
 * until its timeout does not delay it. Messages name the lease, never the database's address or
 * credentials.
 */
public final class DatabaseLease extends Lease {
  private final LeaseSettings settings;
  private final LeaseTable table;
  private final String name;
  private final String owner;
  private final Duration ttl;
  private final Duration renewEvery;
  private final ExecutorService calls;
  private final ScheduledExecutorService renewer;
  private final ScheduledExecutorService deadlines;
  private final Object database = new Object();

  // Guarded by this.
  private boolean held;
  private long validUntilNanos;
  private Consumer<Optional<Throwable>> onLost = reason -> {};
  private ScheduledFuture<?> renewals;
  private ScheduledFuture<?> deadline;

  public DatabaseLease(LeaseSettings settings, ExtendedActorSystem system) {
    this.settings = settings;
    this.name = settings.leaseName();
    this.owner = settings.ownerName();
    this.ttl = Duration.ofMillis(settings.timeoutSettings().heartbeatTimeout().toMillis());
    this.renewEvery = Duration.ofMillis(settings.timeoutSettings().heartbeatInterval().toMillis());
    if (renewEvery.multipliedBy(2).compareTo(ttl) > 0) {
      throw new IllegalArgumentException(
          "lease " + name + ": heartbeat-interval must be at most half of heartbeat-timeout");
    }
    this.table =
        new LeaseTable(
            system.settings().config(),
            Duration.ofMillis(settings.timeoutSettings().operationTimeout().toMillis()));
    this.calls = Executors.newSingleThreadExecutor(daemon("tickshard-lease-" + name));
    this.renewer = Executors.newSingleThreadScheduledExecutor(daemon("tickshard-lease-" + name));
    this.deadlines = Executors.newSingleThreadScheduledExecutor(daemon("tickshard-lease-" + name));
    system.registerOnTermination(calls::shutdownNow);
    system.registerOnTermination(renewer::shutdownNow);
    system.registerOnTermination(deadlines::shutdownNow);
  }

  @Override
  public LeaseSettings getSettings() {
    return settings;
  }

  @Override
  public CompletionStage<Boolean> acquire() {
    return acquire(reason -> {});
  }

  @Override
  public CompletionStage<Boolean> acquire(Consumer<Optional<Throwable>> leaseLostCallback) {
    return call(
        () -> {
          long start = System.nanoTime();
          boolean acquired;
          synchronized (database) {
            acquired = table.acquire(name, owner, ttl);
          }
          if (acquired) {
            synchronized (this) {
              held = true;
              onLost = leaseLostCallback;
              confirmedFrom(start);
              if (renewals == null) {
                renewals =
                    renewer.scheduleWithFixedDelay(
                        this::renew,
                        renewEvery.toMillis(),
                        renewEvery.toMillis(),
                        TimeUnit.MILLISECONDS);
              }
            }
          }
          return acquired;
        });
  }

  @Override
  public CompletionStage<Boolean> release() {
    return call(
        () -> {
          synchronized (this) {
            held = false;
            stopWatching();
          }
          synchronized (database) {
            return table.release(name, owner);
          }
        });
  }

  @Override
  public synchronized boolean checkLease() {
    return held && System.nanoTime() < validUntilNanos;
  }

  private void renew() {
    synchronized (this) {
      if (!held) {
        return;
      }
    }
    long start = System.nanoTime();
    boolean renewed;
    try {
      synchronized (database) {
        renewed = table.renew(name, owner, ttl);
      }
    } catch (SQLException e) {
      return; // the deadline decides
    }
    Consumer<Optional<Throwable>> lost;
    synchronized (this) {
      if (!held) {
        return;
      }
      if (renewed) {
        confirmedFrom(start);
        return;
      }
      lost = lose();
    }
    lost.accept(Optional.empty());
  }

  /** Held until one interval short of the row's expiry, counted from {@code start}. */
  private void confirmedFrom(long start) {
    validUntilNanos = start + ttl.minus(renewEvery).toNanos();
    if (deadline != null) {
      deadline.cancel(false);
    }
    deadline =
        deadlines.schedule(
            this::deadlinePassed, validUntilNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  private void deadlinePassed() {
    Consumer<Optional<Throwable>> lost;
    synchronized (this) {
      if (!held || System.nanoTime() < validUntilNanos) {
        return;
      }
      lost = lose();
    }
    lost.accept(
        Optional.of(
            new LeaseException(
                "lease " + name + " not renewed in time: its database did not answer")));
  }

  private Consumer<Optional<Throwable>> lose() {
    held = false;
    stopWatching();
    return onLost;
  }

  private void stopWatching() {
    if (renewals != null) {
      renewals.cancel(false);
      renewals = null;
    }
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  private interface Call {
    boolean run() throws SQLException;
  }

  private CompletionStage<Boolean> call(Call call) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    try {
      calls.execute(
          () -> {
            try {
              result.complete(call.run());
            } catch (SQLException e) {
              result.completeExceptionally(
                  new LeaseException("lease " + name + ": its database did not answer"));
            } catch (RuntimeException e) {
              result.completeExceptionally(e);
            }
          });
    } catch (RuntimeException rejected) {
      result.completeExceptionally(new LeaseException("lease " + name + ": shut down"));
    }
    return result;
  }
}
