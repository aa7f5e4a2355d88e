package io.tickshard.streams.registry;

import io.tickshard.streams.CborSerializable;
import io.tickshard.streams.StreamStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Every stream the registry knows, with counts per node: the answer to a listing. */
public record StreamListing(
    List<StreamStatus> streams,
    Map<String, Integer> perNode,
    int total,
    boolean complete,
    Instant registrySince)
    implements CborSerializable {}
