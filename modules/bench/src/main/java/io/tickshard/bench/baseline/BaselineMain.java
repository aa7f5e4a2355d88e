package io.tickshard.bench.baseline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickshard.bench.client.FeedReader;
import io.tickshard.bench.client.KeyLayout;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.server.Route;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A baseline server in a JVM of its own, started by the tool with the nodes' JVM flags: {@code
 * constant} (the control plane's) or {@code sse} (the fan-out's). Runs until SIGTERM.
 */
@Command(
    name = "baseline",
    mixinStandardHelpOptions = true,
    description = "A bare pekko-http server to measure tickshard against.",
    subcommands = {BaselineMain.Constant.class, BaselineMain.Sse.class})
public final class BaselineMain {
  @Option(names = "--port", required = true, description = "port on 127.0.0.1")
  int port;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BaselineMain()).execute(args));
  }

  static Config config() {
    return ConfigFactory.parseString(
            """
            pekko.loglevel = WARNING
            pekko.http.server.max-connections = 8192
            pekko.http.server.idle-timeout = 120s
            pekko.http.server.backlog = 1024
            """)
        .withFallback(ConfigFactory.load());
  }

  /** Binds {@code route} and blocks until the JVM is told to stop. */
  static int serve(ActorSystem system, int port, Route route) throws Exception {
    Http.get(system)
        .newServerAt("127.0.0.1", port)
        .bind(route)
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  system.terminate();
                  stopped.countDown();
                }));
    System.out.println("baseline listening on 127.0.0.1:" + port);
    stopped.await();
    return 0;
  }

  @Command(name = "constant", description = "Answers every request with the same status JSON.")
  static final class Constant implements Callable<Integer> {
    @CommandLine.ParentCommand BaselineMain parent;

    @Option(names = "--listing", description = "a file whose JSON GET /listing answers")
    java.nio.file.Path listing;

    @Override
    public Integer call() throws Exception {
      ActorSystem system = ActorSystem.create("baseline", config());
      String listed = listing == null ? null : java.nio.file.Files.readString(listing);
      return serve(system, parent.port, new BaselineConstant(listed).route());
    }
  }

  @Command(name = "sse", description = "Broadcasts the simulator's quotes per key: GET /ticks/{k}.")
  static final class Sse implements Callable<Integer> {
    @CommandLine.ParentCommand BaselineMain parent;

    @Option(names = "--feed", required = true, description = "the simulator's feed URL")
    String feed;

    @Option(names = "--keys", required = true)
    int keys;

    @Option(names = "--instruments-per-key", required = true)
    int instrumentsPerKey;

    @Option(names = "--first-id", defaultValue = "1")
    int firstId;

    @Override
    public Integer call() throws Exception {
      ActorSystem system = ActorSystem.create("baseline", config());
      BaselineSse sse = new BaselineSse(system, new KeyLayout(keys, instrumentsPerKey, firstId));
      try (FeedReader feedReader = sse.connect(feed)) {
        return serve(system, parent.port, sse.route());
      }
    }
  }
}
