package io.tickshard.api;

import io.tickshard.streams.StreamKey;
import io.tickshard.streams.StreamSpec;
import io.tickshard.streams.StreamStatus;
import io.tickshard.streams.entity.StartReply;
import io.tickshard.streams.entity.StopReply;
import io.tickshard.streams.entity.StreamEntity;
import io.tickshard.streams.journal.JournalMonitor;
import io.tickshard.streams.node.Streams;
import io.tickshard.streams.registry.HealthReport;
import io.tickshard.streams.registry.StreamListing;
import io.tickshard.streams.registry.StreamRegistry;
import io.tickshard.streams.registry.UpstreamListing;
import io.tickshard.streams.ticks.TickViewer;
import io.tickshard.streams.ticks.ViewerTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
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
  private final ActorRef<ViewerTopics.Request> topics;
  private final JournalMonitor journal;
  private static final Duration MIN_RESEND = Duration.ofSeconds(2);

  private final InstrumentNames instruments;
  // Short ids of the streams this node started, answered or resolved, so that an id still names
  // its stream here after the stream stopped (the registry knows running streams only). The key
  // itself is kept, parsed already: a 5,000-instrument key is not parsed again per request.
  private final Map<String, StreamKey> knownIds =
      Collections.synchronizedMap(
          new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StreamKey> eldest) {
              return size() > KNOWN_IDS;
            }
          });
  private static final int KNOWN_IDS = 20_000;

  /**
   * @throws IllegalArgumentException when the instrument list the settings name cannot be read
   */
  public StreamControl(ActorSystem<?> system, ApiSettings settings, Streams streams) {
    this.system = system;
    this.settings = settings;
    this.registry = streams.registry();
    this.topics = streams.topics();
    this.journal = streams.journal();
    this.instruments = InstrumentNames.load(settings);
  }

  InstrumentNames instruments() {
    return instruments;
  }

  /**
   * The stream a URL names: by its canonical key, or by its short id ({@link StreamKey#shortId}),
   * which the registry resolves for running streams, and this node for the ones it saw.
   *
   * @throws Problem 400 when the text is neither
   */
  public CompletionStage<StreamKey> key(String text) {
    if (!StreamKey.isShortId(text)) {
      return CompletableFuture.completedFuture(remember(StreamRequest.parseKey(text)));
    }
    StreamKey known = knownIds.get(text);
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    return timed(
        AskPattern.<StreamRegistry.Command, StreamRegistry.ResolvedId>ask(
                registry,
                replyTo -> new StreamRegistry.ResolveId(text, replyTo),
                settings.askTimeout(),
                system.scheduler())
            .thenApply(
                resolved -> {
                  if (resolved.key() == null) {
                    throw Problem.streamIdNotFound(text);
                  }
                  return remember(resolved.key());
                }),
        "the stream registry");
  }

  /** Keeps the key's short id for {@link #key}; answers the key. */
  StreamKey remember(StreamKey key) {
    knownIds.put(key.shortId(), key);
    return key;
  }

  /** Whether this node reaches the journal, as of its last check. */
  public JournalMonitor.Reading journal() {
    return journal.reading();
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
    Instant answerBy = answerBy();
    return timedWrite(
        askEntity(spec.key(), replyTo -> new StreamEntity.Start(spec, replyTo, answerBy)),
        "the stream");
  }

  /**
   * The stream's own answer; when it cannot give one in time (its entity restarts because the
   * journal failed, or moves), the registry's view of it, as of its last report.
   */
  public CompletionStage<StreamEntity.StatusReply> status(StreamKey key) {
    CompletionStage<StreamEntity.StatusReply> asked = askEntity(key, StreamEntity.GetStatus::new);
    return timed(
        asked.exceptionallyCompose(
            failure ->
                isTimeout(failure)
                    ? fromRegistry(key)
                        .thenCompose(
                            known ->
                                known.isPresent()
                                    ? CompletableFuture.completedFuture(known.get())
                                    : CompletableFuture.failedFuture(failure))
                    : CompletableFuture.failedFuture(failure)),
        "the stream");
  }

  private CompletionStage<Optional<StreamEntity.StatusReply>> fromRegistry(StreamKey key) {
    return listing()
        .thenApply(
            listing ->
                listing.streams().stream()
                    .filter(status -> status.key().equals(key))
                    .<StreamEntity.StatusReply>map(StreamEntity.Found::new)
                    .findFirst())
        .exceptionally(failure -> Optional.empty());
  }

  public CompletionStage<StopReply> stop(StreamKey key, String reason) {
    Instant answerBy = answerBy();
    return timedWrite(
        askEntity(key, replyTo -> new StreamEntity.Stop(reason, replyTo, answerBy)), "the stream");
  }

  /**
   * Asks the key's entity, sending the command again every third of the ask timeout (2 s at least)
   * until it answers: a rebalance that drops it is not the caller's problem (see ResentAsk).
   */
  private <R> CompletionStage<R> askEntity(
      StreamKey key, Function<ActorRef<R>, StreamEntity.Command> command) {
    Duration third = settings.askTimeout().dividedBy(3);
    Duration resend = third.compareTo(MIN_RESEND) < 0 ? MIN_RESEND : third;
    return ResentAsk.ask(
        system, StreamEntity.entityRefFor(system, key), command, settings.askTimeout(), resend);
  }

  /** The latest values per instrument, and whether the stream stopped meanwhile. */
  public CompletionStage<StreamEntity.SnapshotReply> snapshot(StreamKey key) {
    return timed(
        StreamEntity.entityRefFor(system, key)
            .ask(StreamEntity.GetSnapshot::new, settings.askTimeout()),
        "the stream");
  }

  public CompletionStage<StreamListing> listing() {
    return timed(
        AskPattern.ask(
            registry, StreamRegistry.GetListing::new, settings.askTimeout(), system.scheduler()),
        "the stream registry");
  }

  /** The account's broker sockets, as the registry placed keys on them. */
  public CompletionStage<UpstreamListing> upstream() {
    return timed(
        AskPattern.ask(
            registry, StreamRegistry.GetUpstream::new, settings.askTimeout(), system.scheduler()),
        "the stream registry");
  }

  /** Runs a health check round now (stale streams' sockets restarted) and answers its report. */
  public CompletionStage<HealthReport> checkHealthNow() {
    return timed(
        AskPattern.ask(
            registry,
            StreamRegistry.CheckHealthNow::new,
            settings.askTimeout(),
            system.scheduler()),
        "the stream registry");
  }

  public CompletionStage<HealthReport> health() {
    return timed(
        AskPattern.ask(
            registry, StreamRegistry.GetHealth::new, settings.askTimeout(), system.scheduler()),
        "the stream registry");
  }

  /**
   * Stops every stream the registry knows; answers the keys that are stopped (by this call, or
   * before it). A stop the journal did not record makes the whole call a 503 journal-unavailable:
   * it is safe to send again.
   */
  public CompletionStage<List<String>> stopAll(String reason) {
    return listing()
        .thenCompose(
            listing -> {
              List<CompletableFuture<String>> stops = new ArrayList<>();
              for (StreamStatus status : listing.streams()) {
                StreamKey key = status.key();
                stops.add(
                    stop(key, reason)
                        .thenApply(
                            reply -> {
                              if (reply instanceof StopReply.NotRecorded unrecorded) {
                                throw Problem.journalUnavailable(unrecorded.reason());
                              }
                              return StopReply.stoppedStatus(reply) != null ? key.value() : null;
                            })
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

  /**
   * Subscribes {@code viewer} to the key's ticks and notices on this node; {@code status} is how
   * the stream stood when the viewer came.
   */
  public CompletionStage<Done> attach(StreamKey key, StreamStatus status, TickViewer viewer) {
    return timed(
        AskPattern.ask(
            topics,
            replyTo -> new ViewerTopics.Attach(key, status.node(), status.state(), viewer, replyTo),
            settings.askTimeout(),
            system.scheduler()),
        "the tick topics");
  }

  /** Hands {@code viewer} nothing more; idempotent. */
  public void detach(StreamKey key, TickViewer viewer) {
    topics.tell(new ViewerTopics.Detach(key, viewer));
  }

  /**
   * As {@link #timed}, for a call that writes to the journal: while this node cannot reach it, a
   * timeout is the journal's (the entity keeps restarting until it is back), and says so.
   */
  private <T> CompletionStage<T> timedWrite(CompletionStage<T> ask, String what) {
    return timed(
        ask.exceptionallyCompose(
            failure -> {
              if (isTimeout(failure) && !journal.reading().up()) {
                throw Problem.journalUnavailable(
                    "the journal is unreachable from this node; nothing changed, try again");
              }
              return CompletableFuture.failedFuture(failure);
            }),
        what);
  }

  /** When the caller of a write stops waiting: a write that arrives later is dropped. */
  private Instant answerBy() {
    return Instant.now().plus(settings.askTimeout());
  }

  private static boolean isTimeout(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    return cause instanceof TimeoutException;
  }

  private static <T> CompletionStage<T> timed(CompletionStage<T> ask, String what) {
    return ask.exceptionally(
        failure -> {
          if (isTimeout(failure)) {
            throw Problem.timeout(what);
          }
          Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
          if (cause instanceof RuntimeException runtime) {
            throw runtime;
          }
          throw new CompletionException(cause);
        });
  }
}
