package io.tickshard.streams.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;

/**
 * The registry's health check rounds: on the check's schedule, inside market hours, the streams
 * {@link HealthCheck} judges stale get their sockets restarted, and one line sums the cluster up.
 * The next round is scheduled only after a round ends. Called on the registry's thread only.
 */
final class HealthRounds {
  private static final Object HEALTH_TIMER = "health";

  private final RegistrySettings settings;
  private final TimerScheduler<StreamRegistry.Command> timers;
  private final Logger log;
  private final HealthCheck check;
  private HealthReport latest;
  private Instant nextRun;

  HealthRounds(
      RegistrySettings settings, TimerScheduler<StreamRegistry.Command> timers, Logger log) {
    this.settings = settings;
    this.timers = timers;
    this.log = log;
    this.check = new HealthCheck(settings.healthStaleAfter());
  }

  void scheduleNext() {
    Instant now = Instant.now();
    nextRun = settings.healthSchedule().next(now).orElse(null);
    if (nextRun != null) {
      timers.startSingleTimer(
          HEALTH_TIMER, new StreamRegistry.RunHealthCheck(), Duration.between(now, nextRun));
    }
  }

  /** A round is due: judged and acted on inside market hours, and the next one scheduled. */
  void run(StreamView<?> view, AccountSockets sockets, boolean complete) {
    if (settings.marketHours().isOpen(Instant.now())) {
      checkNow(view, sockets, complete);
    }
    scheduleNext();
  }

  /** A round asked for now: the stale streams' sockets restarted, the report kept. */
  void checkNow(StreamView<?> view, AccountSockets sockets, boolean complete) {
    Instant now = Instant.now();
    List<HealthCheck.Observed> observed =
        view.entries().stream()
            .map(entry -> new HealthCheck.Observed(entry.status(), entry.since()))
            .toList();
    SlotHolding holding = sockets.holding();
    HealthCheck.Result result = check.judge(observed, holding, now);
    result.stale().forEach(stale -> sockets.restart(stale.key(), stale.reason()));
    log.info(result.summary());
    latest =
        new HealthReport(
            now,
            null,
            result.streams(),
            result.perNode(),
            result.staleKeys(),
            holding.used(),
            holding.limit(),
            complete,
            result.summary());
  }

  /** The latest round with the next one's time, or only the schedule when none ran yet. */
  HealthReport report(StreamView<?> view, SlotHolding holding, boolean complete) {
    if (latest != null) {
      return new HealthReport(
          latest.ranAt(),
          nextRun,
          latest.streams(),
          latest.perNode(),
          latest.staleRestarted(),
          latest.budgetUsed(),
          latest.budget(),
          latest.complete(),
          latest.summary());
    }
    Map<String, Integer> perNode = view.perNode();
    return new HealthReport(
        null,
        nextRun,
        HealthCheck.total(perNode),
        perNode,
        List.of(),
        holding.used(),
        holding.limit(),
        complete,
        "no health check has run yet");
  }
}
