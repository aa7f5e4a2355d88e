package io.tickshard.api;

import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamState;
import io.tickshard.streams.entity.StreamEntity;
import io.tickshard.streams.ticks.Tick;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.EntityTag;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;

/**
 * {@code GET /api/v1/streams/{key}/snapshot}: the latest values of a running stream for those who
 * poll (old pages, scripts, back-end jobs). Served from the values the running stream already
 * keeps, so a thousand pollers open no socket and cost the broker nothing. With an {@code ETag}: a
 * poll with {@code If-None-Match} and nothing new is answered 304 without a body.
 */
final class StreamSnapshot extends AllDirectives {
  private final StreamControl control;

  StreamSnapshot(StreamControl control) {
    this.control = control;
  }

  Route route(String keyText) {
    CompletionStage<StreamKey> named = control.key(keyText);
    control.requireReady();
    return onSuccess(
        named.thenCompose(key -> control.snapshot(key).thenApply(reply -> Pair.create(key, reply))),
        answered -> {
          StreamKey key = answered.first();
          StreamEntity.SnapshotReply reply = answered.second();
          if (reply.state() == null) {
            throw Problem.streamNotFound(key.value());
          }
          if (reply.state() == StreamState.STOPPED) {
            throw Problem.streamNotRunning(key.value());
          }
          return respondWithHeader(
              CacheControl.create(CacheDirectives.NO_CACHE),
              () ->
                  conditional(
                      tag(reply),
                      () ->
                          complete(
                              ApiJson.response(
                                  StatusCodes.OK,
                                  new SnapshotResponse(
                                      key.value(), reply.state().wireName(), reply.ticks())))));
        });
  }

  /**
   * Changes whenever the answer would: a tick received (the newest receipt time moves), an
   * instrument's first value, or the stream's state. Derived from the values, so every node answers
   * the same tag for the same values.
   */
  static EntityTag tag(StreamEntity.SnapshotReply reply) {
    Instant newest = Instant.EPOCH;
    for (Tick tick : reply.ticks()) {
      if (tick.receivedAt() != null && tick.receivedAt().isAfter(newest)) {
        newest = tick.receivedAt();
      }
    }
    return EntityTag.create(
        reply.ticks().size()
            + "-"
            + Long.toHexString(newest.getEpochSecond())
            + Integer.toHexString(newest.getNano())
            + "-"
            + reply.state().wireName(),
        false);
  }
}
