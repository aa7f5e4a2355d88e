package io.tickshard.streams.registry;

import io.tickshard.streams.CborSerializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The latest health check, or only the schedule when none ran yet ({@code ranAt} null).
 *
 * @param staleRestarted keys whose sockets the check restarted
 */
public record HealthReport(
    Instant ranAt,
    Instant nextRunAt,
    int streams,
    Map<String, Integer> perNode,
    List<String> staleRestarted,
    int budgetUsed,
    int budget,
    boolean complete,
    String summary)
    implements CborSerializable {}
