package io.tickshard.streams.ticks;

/**
 * What reaches a tick viewer: the stream's ticks, a batch at a time, and word of how its feed
 * stands ({@link FeedNotice}), so that a page can say "reconnecting" or "stopped" rather than show
 * frozen prices as live.
 */
public sealed interface ViewerEvent permits TickBatch, FeedNotice {}
