package io.tickshard.api;

import io.tickshard.streams.ticks.Tick;
import java.util.List;

/**
 * {@code GET /api/v1/streams/{key}/snapshot}: the latest values per instrument, as the first SSE
 * event has them, and how the stream stands (while it is not {@code running}, they are the last
 * known, not live).
 */
record SnapshotResponse(String key, String status, List<Tick> ticks) {}
