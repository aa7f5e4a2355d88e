package io.tickshard.service;

import com.typesafe.config.Config;
import io.tickshard.api.ConnectionLimits;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.NodeName;
import io.tickshard.streams.journal.JournalSchema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.Terminated;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Await;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;

/**
 * Starts a tickshard node: the journal (embedded PostgreSQL unless {@code TICKSHARD_DB_URL}), the
 * feed (the broker with credentials, else an in-process simulator), the actor system and the {@link
 * Node}; then prints where everything is. With arguments it only answers them ({@link Usage}:
 * {@code --help}, {@code --version}) and starts nothing. A start that fails ends in one line naming
 * the cause and the setting to change ({@link StartupCheck}), after what it had started is stopped.
 */
public final class Main {
  static {
    CommonPool.ensureParallel(); // before anything starts the JDK's common pool
  }

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  /**
   * The reason a node that could not start stops its actor system for: conf/application.conf
   * overrides {@code exit-jvm} for it, so that {@link #main} stops the rest in order, prints the
   * cause last and exits with status 1 itself.
   */
  enum StartFailed implements CoordinatedShutdown.Reason {
    INSTANCE
  }

  /** What this process started, closed in reverse order when it ends, however it ends. */
  private static final class Resources {
    volatile EmbeddedJournal journal;
    volatile FeedSimulator simulator;
    volatile ActorSystem<Void> system;

    private final AtomicBoolean closing = new AtomicBoolean();

    /**
     * Once, by whoever comes first: the stop signal's thread, a start that failed ({@link
     * StartFailed}), or the shutdown hook. A second caller returns at once: the actor system,
     * terminating, exits the JVM itself ({@code exit-jvm}), and that exit runs the hook while the
     * first caller still waits for the termination.
     */
    void close() {
      close(null);
    }

    /** With {@code reason}: by coordinated shutdown for it; null: by terminating the system. */
    void close(CoordinatedShutdown.Reason reason) {
      if (!closing.compareAndSet(false, true)) {
        return;
      }
      if (system != null) {
        // The classic system's future: when the cluster downs this node, the actor system exits
        // the JVM from a callback of that future, and that exit runs this hook. The typed
        // system's future completes only after that callback, that is never.
        Future<Terminated> terminated = Adapter.toClassic(system).whenTerminated();
        if (!terminated.isCompleted()) {
          if (reason == null) {
            system.terminate();
          } else {
            CoordinatedShutdown.get(system).run(reason);
          }
          try {
            // The actor system hands off and closes its sockets first; then what it used.
            Await.ready(terminated, FiniteDuration.create(60, TimeUnit.SECONDS));
          } catch (InterruptedException | TimeoutException e) {
            log.warn("the actor system did not stop within 60 s");
          }
        }
      }
      if (simulator != null) {
        simulator.close();
      }
      if (journal != null) {
        journal.close();
      }
    }
  }

  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0) {
      System.exit(Usage.run(args, System.out, System.err));
    }
    try {
      LogFormat.apply(System.getenv("TICKSHARD_LOG_FORMAT"));
    } catch (IllegalArgumentException e) {
      System.err.println("tickshard: " + e.getMessage());
      System.exit(2);
    }
    StartupLogFilter startupLogs = StartupLogFilter.install();
    Resources resources = new Resources();
    // In order on a stop signal; the hook covers every other way out (System.exit, downing).
    StopSignals.install(resources::close);
    Runtime.getRuntime().addShutdownHook(new Thread(resources::close, "tickshard-resources"));
    Config layered = null;
    try {
      layered = NodeConfig.layered();
      start(layered, resources);
      startupLogs.started();
    } catch (Exception e) {
      // One clear line, not a stack trace: the cause and what to change (a port in use, a bad
      // URL). Last: after what had started is stopped, with the teardown told in warnings only.
      String line = StartupCheck.line(e, layered);
      startupLogs.failed();
      resources.close(StartFailed.INSTANCE);
      if ("json".equals(System.getenv("TICKSHARD_LOG_FORMAT"))) {
        log.error("tickshard could not start: {}", line); // one JSON object, as every other line
      } else {
        System.err.println("tickshard could not start: " + line);
      }
      System.exit(1);
    }
  }

  private static void start(Config layered, Resources resources) throws Exception {
    NodeConfig.Plan plan = NodeConfig.plan(layered);
    // Before anything starts: a port in use fails here, in a moment, and says which variable.
    StartupCheck.beforeStart(layered, plan);

    NodeConfig.Database database;
    if (plan.embeddedDatabase()) {
      resources.journal =
          EmbeddedJournal.start(Path.of(layered.getString("tickshard.db.embedded-data-dir")));
      database =
          new NodeConfig.Database(
              resources.journal.jdbcUrl(),
              resources.journal.user(),
              resources.journal.password(),
              true);
    } else {
      database = NodeConfig.externalDatabase(layered);
    }
    JournalSchema.ensure(database.url(), database.user(), database.password());

    NodeConfig.Feed feed;
    if (plan.simulatorInProcess()) {
      resources.simulator =
          FeedSimulator.start(
              SimulatorConfig.defaults()
                  .withAddress(
                      layered.getString("tickshard.host"),
                      layered.getInt("tickshard.simulator.port")));
      feed =
          new NodeConfig.Feed(
              resources.simulator.baseUrl().toString(),
              SimulatorConfig.DEFAULT_CLIENT_ID,
              SimulatorConfig.DEFAULT_ACCESS_TOKEN,
              false);
    } else {
      feed = NodeConfig.externalFeed(layered);
    }

    Config config = NodeConfig.finalConfig(plan, feed, database);
    resources.system = ActorSystem.create(Behaviors.empty(), "tickshard", config);
    Node node = Node.start(resources.system).toCompletableFuture().get(60, TimeUnit.SECONDS);
    printStartup(node, plan, feed, database, resources, config);
  }

  private static void printStartup(
      Node node,
      NodeConfig.Plan plan,
      NodeConfig.Feed feed,
      NodeConfig.Database database,
      Resources resources,
      Config config) {
    String http =
        "http://" + node.httpAddress().getHostString() + ":" + node.httpAddress().getPort();
    StringBuilder block = new StringBuilder();
    block.append("tickshard node ").append(NodeName.of(node.system())).append(" started\n");
    block.append("  UI            ").append(http).append("/\n");
    block.append("  API           ").append(http).append("/api/v1/streams\n");
    block
        .append("  management    ")
        .append(node.managementUrl())
        .append(" (ready, alive, cluster/members)\n");
    block.append("  feed          ").append(feed);
    if (resources.simulator != null) {
      block.append(", admin ").append(resources.simulator.adminUrl()).append("stats");
    }
    block.append('\n');
    block.append("  journal       ").append(database);
    if (resources.journal != null) {
      block.append(" (data in ").append(resources.journal.dataDirectory()).append(')');
    }
    block.append('\n');
    block.append("  market hours  ").append(plan.marketHours()).append('\n');
    if (plan.discovery().enabled()) {
      block
          .append("  discovery     ")
          .append(plan.discovery().method())
          .append(" (cluster bootstrap, ")
          .append(plan.discovery().contactPoints())
          .append(" contact points to form a cluster)\n");
    } else {
      block.append("  seed nodes    ").append(String.join(", ", plan.seedNodes())).append('\n');
    }
    block
        .append("  common pool   ")
        .append(CommonPool.parallelism())
        .append(" threads (")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" processors)\n");
    ConnectionLimits limits = ConnectionLimits.fromConfig(config);
    OptionalLong files = ConnectionLimits.processFileLimit();
    block
        .append("  connections   ")
        .append(limits.maxConnections())
        .append(" at most, ")
        .append(config.getInt("tickshard.api.max-sse-viewers"))
        .append(" of them tick viewers; header timeout ")
        .append(readable(limits.headerTimeout()))
        .append(", keep-alive ")
        .append(readable(limits.keepAliveTimeout()))
        .append("; file limit ")
        .append(files.isPresent() ? String.valueOf(files.getAsLong()) : "unknown");
    if ("json".equals(System.getenv("TICKSHARD_LOG_FORMAT"))) {
      log.info("{}", block); // one JSON object, as every other line
    } else {
      System.out.println(block);
    }
    if (config.getString("tickshard.api.token").isBlank()) {
      log.warn(
          "TICKSHARD_API_TOKEN is not set: anyone who can reach {} can start and stop streams",
          http);
    }
  }

  /** "10 s", or "500 ms" when it is not whole seconds. */
  private static String readable(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }
}
