package io.tickshard.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The command line: {@code --help} (the environment a node reads, with defaults, from the table
 * below: the one place it is written in the code), {@code --version}; anything else is refused.
 * Nothing is started for any of them.
 */
final class Usage {
  /**
   * One environment variable: its name, the setting it maps onto in conf/application.conf (null
   * when it is read directly), its default and what it is for.
   */
  record Variable(String name, String path, String byDefault, String meaning) {}

  /** The same set as the Environment table of docs/operations.md (UsageTest keeps them so). */
  static final List<Variable> VARIABLES =
      List.of(
          new Variable("TICKSHARD_HTTP_PORT", "tickshard.http.port", "8080", "API and UI"),
          new Variable(
              "TICKSHARD_HTTP_MAX_CONNECTIONS",
              "tickshard.http.max-connections",
              "8192",
              "open HTTP connections per node, tick viewers included"),
          new Variable(
              "TICKSHARD_MAX_SSE_VIEWERS",
              "tickshard.api.max-sse-viewers",
              "6000",
              "open tick viewers (SSE) per node; below TICKSHARD_HTTP_MAX_CONNECTIONS"),
          new Variable(
              "TICKSHARD_CLUSTER_PORT", "tickshard.cluster-port", "25520", "cluster remoting"),
          new Variable(
              "TICKSHARD_MANAGEMENT_PORT",
              "tickshard.management-port",
              "8558",
              "pekko-management: /ready, /alive, /cluster/members, /metrics"),
          new Variable(
              "TICKSHARD_HOST",
              "tickshard.host",
              "127.0.0.1",
              "bind and canonical host of the three ports above"),
          new Variable(
              "TICKSHARD_SEED_NODES",
              "tickshard.seed-nodes",
              "this node",
              "comma list of host:port (cluster ports) to join"),
          new Variable(
              "TICKSHARD_DB_URL",
              "tickshard.db.url",
              "unset",
              "journal, jdbc:postgresql://host:port/db; unset: embedded PostgreSQL in"
                  + " ./data/postgres"),
          new Variable("TICKSHARD_DB_USER", "tickshard.db.user", "tickshard", "journal user"),
          new Variable(
              "TICKSHARD_DB_PASSWORD", "tickshard.db.password", "empty", "journal password"),
          new Variable(
              "TICKSHARD_API_TOKEN",
              "tickshard.api.token",
              "unset",
              "bearer token to start and stop streams; unset: open, with a warning"),
          new Variable(
              "TICKSHARD_API_ALLOWED_ORIGINS",
              "tickshard.api.allowed-origins",
              "empty",
              "with no token: other origins whose pages may start and stop streams"),
          new Variable(
              "DHANHQ_WS_ENABLED",
              "tickshard.api.streaming-enabled",
              "true",
              "false: starts answer 503 streaming-disabled; status and ticks still work"),
          new Variable(
              "DHANHQ_WS_MODE",
              "tickshard.feed.mode",
              "quote",
              "ticker, quote or full: the mode of a start that names none"),
          new Variable(
              "DHANHQ_WS_URL",
              "tickshard.broker.url",
              "unset",
              "upstream feed URL; unset: the broker's with credentials, else a built-in simulator"),
          new Variable(
              "DHANHQ_CLIENT_ID", "tickshard.broker.client-id", "unset", "broker client id"),
          new Variable(
              "DHANHQ_ACCESS_TOKEN",
              "tickshard.broker.access-token",
              "unset",
              "broker access token, read once at start"),
          new Variable(
              "DHANHQ_ACCESS_TOKEN_FILE",
              "tickshard.broker.token-file",
              "unset",
              "a file holding only the access token, re-read every 2 s; wins over DHANHQ_ACCESS_TOKEN"),
          new Variable(
              "TICKSHARD_MARKET_HOURS",
              "tickshard.market-hours",
              "unset",
              "nse or always; unset: nse with the broker, always with the simulator"),
          new Variable(
              "TICKSHARD_LOG_FORMAT",
              null,
              "text",
              "text: a line per event; json: a JSON object per line"),
          new Variable(
              "TICKSHARD_UPSTREAM_SHARING",
              "tickshard.upstream.sharing",
              "shared",
              "shared: keys share the account's sockets; dedicated: a socket per key"),
          new Variable(
              "TICKSHARD_INSTRUMENTS_FILE",
              "tickshard.instruments.file",
              "unset",
              "the broker's instrument list (scrip-master CSV) for symbols; unset: a NIFTY 50"
                  + " sample with the simulator, none with the broker"),
          new Variable(
              "TICKSHARD_UPSTREAM_UNSUBSCRIBE_GRACE",
              "tickshard.upstream.unsubscribe-grace",
              "10s",
              "shared: an instrument no key needs is unsubscribed this long after"),
          new Variable(
              "TICKSHARD_DISCOVERY",
              "tickshard.discovery",
              "unset",
              "config or kubernetes-api: cluster bootstrap instead of TICKSHARD_SEED_NODES"),
          new Variable(
              "TICKSHARD_DISCOVERY_SERVICE",
              "tickshard.discovery-service",
              "tickshard",
              "kubernetes-api: the pods labelled app=<this>"),
          new Variable(
              "TICKSHARD_DISCOVERY_ENDPOINTS",
              "tickshard.discovery-endpoints",
              "unset",
              "config: every node's management host:port, comma-separated"),
          new Variable(
              "TICKSHARD_DISCOVERY_CONTACT_POINTS",
              "tickshard.discovery-contact-points",
              "2",
              "nodes found before the first forms a new cluster"),
          new Variable(
              "TICKSHARD_REDIS_URL",
              "tickshard.redis.url",
              "unset",
              "redis://[:password@]host[:port][/db] (or rediss://): every tick to Redis as the old"
                  + " screener app's; unset: no Redis"),
          new Variable(
              "TICKSHARD_REDIS_CHANNEL",
              "tickshard.redis.channel",
              "live_ltp_updates",
              "the Redis channel every tick is published on"),
          new Variable(
              "TICKSHARD_REDIS_KEY_PREFIX",
              "tickshard.redis.key-prefix",
              "ltp:",
              "the latest price of each instrument is kept under <this><SEGMENT>:<id>"),
          new Variable(
              "TICKSHARD_APP_VERSION",
              "pekko.cluster.app-version",
              "the build's",
              "the version the cluster sees; shards go to the newest in a rolling upgrade"));

  private static final Set<String> HELP = Set.of("--help", "-h");
  private static final String VERSION = "--version";
  private static final String VERSION_RESOURCE = "/io/tickshard/service/version.properties";

  private Usage() {}

  /**
   * Answers the arguments: {@code --help} or {@code --version} on {@code out}, 0; anything else one
   * line on {@code err}, 2.
   */
  static int run(String[] args, PrintStream out, PrintStream err) {
    for (String arg : args) {
      if (!HELP.contains(arg) && !VERSION.equals(arg)) {
        err.println("tickshard: unknown argument '" + arg + "' (try --help)");
        return 2;
      }
    }
    boolean help = false;
    for (String arg : args) {
      help |= HELP.contains(arg);
    }
    out.print(help ? help() : "tickshard " + version() + "\n");
    out.flush();
    return 0;
  }

  static String help() {
    int name = VARIABLES.stream().mapToInt(v -> v.name().length()).max().orElse(0) + 2;
    int byDefault = VARIABLES.stream().mapToInt(v -> v.byDefault().length()).max().orElse(0) + 2;
    StringBuilder text = new StringBuilder();
    text.append(
        "tickshard: one live DhanHQ market-data stream per key across an Apache Pekko cluster,\n"
            + "with an HTTP API and UI to start, watch and stop them.\n\n"
            + "usage: java -jar tickshard.jar [--help | --version]   (or bin/tickshard)\n\n"
            + "Without arguments it runs one node, configured by these environment variables:\n\n");
    text.append(pad("  variable", name + 2)).append(pad("default", byDefault)).append("meaning\n");
    for (Variable variable : VARIABLES) {
      text.append("  ")
          .append(pad(variable.name(), name))
          .append(pad(variable.byDefault(), byDefault))
          .append(variable.meaning())
          .append('\n');
    }
    text.append(
        "\nEach is also settable in HOCON (-Dconfig.file=node.conf, -Dkey=value). More in\n"
            + "docs/operations.md of the tickshard sources: \"Environment\", \"Running a node\".\n");
    return text.toString();
  }

  /** The jar's Implementation-Version, else the build's (a filtered resource), else "unknown". */
  static String version() {
    String version = Usage.class.getPackage().getImplementationVersion();
    if (version != null && !version.isBlank()) {
      return version;
    }
    try (InputStream in = Usage.class.getResourceAsStream(VERSION_RESOURCE)) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String built = properties.getProperty("version", "");
        if (!built.isBlank() && !built.startsWith("${")) {
          return built;
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "unknown";
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
  }
}
