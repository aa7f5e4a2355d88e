package io.tickshard.streams.registry;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * When the health check runs: a six-field cron expression (seconds first, as Spring writes them,
 * e.g. {@code 0 *}{@code /5 * * * MON-FRI}) in a time zone, or never.
 */
public final class HealthSchedule {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING));

  private final String expression;
  private final ExecutionTime execution;
  private final ZoneId zone;

  private HealthSchedule(String expression, ExecutionTime execution, ZoneId zone) {
    this.expression = expression;
    this.execution = execution;
    this.zone = zone;
  }

  /**
   * @throws IllegalArgumentException naming the expression, when it is not a valid cron
   */
  public static HealthSchedule parse(String expression, ZoneId zone) {
    if (expression == null || expression.isBlank() || expression.equals("off")) {
      return new HealthSchedule("off", null, zone);
    }
    try {
      return new HealthSchedule(expression, ExecutionTime.forCron(PARSER.parse(expression)), zone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "tickshard.health.schedule '"
              + expression
              + "' is not a cron expression: "
              + e.getMessage());
    }
  }

  /** The first run strictly after {@code after}; empty when the check is off. */
  public Optional<Instant> next(Instant after) {
    if (execution == null) {
      return Optional.empty();
    }
    return execution.nextExecution(after.atZone(zone)).map(time -> time.toInstant());
  }

  @Override
  public String toString() {
    return expression + " (" + zone + ")";
  }
}
