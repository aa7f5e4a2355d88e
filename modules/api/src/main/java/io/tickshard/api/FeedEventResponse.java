package io.tickshard.api;

import io.tickshard.streams.ticks.FeedNotice;
import java.time.Instant;

/**
 * The data of a tick viewer's {@code feed} event (how the stream's feed stands now) and of its
 * {@code stopped} event (the last one; the response ends after it).
 */
final class FeedEventResponse {
  private FeedEventResponse() {}

  /**
   * @param status as in a stream's status ({@code running}, {@code reconnecting}, {@code lost}, …)
   * @param node where the stream runs, or ran
   * @param reason why, when there is one
   */
  record Feed(String status, String node, String reason, Instant at) {}

  record Stopped(String reason, Instant at) {}

  static Feed feed(FeedNotice notice) {
    return new Feed(notice.state().wireName(), notice.node(), notice.reason(), notice.at());
  }

  static Stopped stopped(FeedNotice notice) {
    return new Stopped(notice.reason(), notice.at());
  }
}
