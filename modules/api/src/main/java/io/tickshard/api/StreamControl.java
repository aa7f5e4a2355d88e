package io.tickshard.api;

import io.tickshard.streams.StartReply;
import io.tickshard.streams.StreamEntity;
import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.Streams;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.ticks.Tick;
import io.tickshard.streams.ticks.ViewerTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * What the routes may do with streams, each call one ask through sharding (or to the registry) with
 * the configured timeout. A timeout becomes a 503 problem, never a hang.
 */
public final class StreamControl {
  private final ActorSystem<?> system;
  private final ApiSettings settings;
  private final ActorRef<StreamRegistry.Command> registry;
  private final ActorRef<ViewerTopics.GetTopic> topics;

  public StreamControl(ActorSystem<?> system, ApiSettings settings, Streams streams) {
    this.system = system;
    this.settings = settings;
    this.registry = streams.registry();
    this.topics = streams.topics();
  }

  public ApiSettings settings() {
    return settings;
  }

  public ActorSystem<?> system() {
    return system;
  }

  /** Throws a 503 problem unless this node is an Up member of its cluster. */
  public void requireReady() {
    MemberStatus status = Cluster.get(system).selfMember().status();
    if (status != MemberStatus.up() && status != MemberStatus.weaklyUp()) {
      throw Problem.notReady("this node is " + status + " in its cluster, not Up yet");
    }
  }

  /** Throws a 503 problem unless this node is ready and streaming is switched on. */
  public void requireStartable() {
    requireReady();
    settings
        .streamingDisabledReason()
        .ifPresent(
            reason -> {
              throw Problem.streamingDisabled(reason);
            });
  }

  public CompletionStage<StartReply> start(StreamSpec spec) {
    return timed(
        StreamEntity.entityRefFor(system, spec.key())
            .ask(replyTo -> new StreamEntity.Start(spec, replyTo), settings.askTimeout()),
        "the stream");
  }

  public CompletionStage<StreamEntity.StatusReply> status(StreamKey key) {
    return timed(
        StreamEntity.entityRefFor(system, key)
            .ask(StreamEntity.GetStatus::new, settings.askTimeout()),
        "the stream");
  }

  public CompletionStage<StreamEntity.StopReply> stop(StreamKey key, String reason) {
    return timed(
        StreamEntity.entityRefFor(system, key)
            .ask(replyTo -> new StreamEntity.Stop(reason, replyTo), settings.askTimeout()),
        "the stream");
  }

  public CompletionStage<List<Tick>> snapshot(StreamKey key) {
    return timed(
        StreamEntity.entityRefFor(system, key)
            .ask(StreamEntity.GetSnapshot::new, settings.askTimeout())
            .thenApply(StreamEntity.SnapshotReply::ticks),
        "the stream");
  }

  public CompletionStage<StreamRegistry.Listing> listing() {
    return timed(
        AskPattern.ask(
            registry, StreamRegistry.GetListing::new, settings.askTimeout(), system.scheduler()),
        "the stream registry");
  }

  public CompletionStage<StreamRegistry.HealthReport> health() {
    return timed(
        AskPattern.ask(
            registry, StreamRegistry.GetHealth::new, settings.askTimeout(), system.scheduler()),
        "the stream registry");
  }

  /** Stops every stream the registry knows; answers the keys that were stopped. */
  public CompletionStage<List<String>> stopAll(String reason) {
    return listing()
        .thenCompose(
            listing -> {
              List<CompletableFuture<String>> stops = new ArrayList<>();
              for (StreamStatus status : listing.streams()) {
                StreamKey key = StreamKey.parse(status.key());
                stops.add(
                    stop(key, reason)
                        .thenApply(
                            reply -> reply instanceof StreamEntity.Stopped ? key.value() : null)
                        .toCompletableFuture());
              }
              return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                  .thenApply(
                      done ->
                          stops.stream()
                              .map(CompletableFuture::join)
                              .filter(k -> k != null)
                              .toList());
            });
  }

  /** This node's topic actor for the key's ticks. */
  public CompletionStage<ActorRef<Topic.Command<Tick>>> topic(StreamKey key) {
    return timed(
        AskPattern.ask(
            topics,
            replyTo -> new ViewerTopics.GetTopic(key, replyTo),
            settings.askTimeout(),
            system.scheduler()),
        "the tick topics");
  }

  private static <T> CompletionStage<T> timed(CompletionStage<T> ask, String what) {
    return ask.exceptionally(
        failure -> {
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (cause instanceof TimeoutException) {
            throw Problem.timeout(what);
          }
          if (cause instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new CompletionException(cause);
        });
  }
}
