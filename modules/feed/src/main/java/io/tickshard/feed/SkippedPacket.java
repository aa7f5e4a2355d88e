package io.tickshard.feed;

/**
 * A well-framed packet the decoder steps over by its length: index (1) and market status (7), whose
 * layouts are undocumented, and any response code the fact sheet does not name.
 */
public record SkippedPacket(int responseCode, int segmentCode, int securityId, int length) {}
