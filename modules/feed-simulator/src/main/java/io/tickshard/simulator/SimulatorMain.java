package io.tickshard.simulator;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator on its own: {@code java -jar feed-simulator.jar --port 8765}. See {@link
 * #USAGE} for the flags.
 */
public final class SimulatorMain {
  static final String USAGE =
      """
      usage: java -jar feed-simulator.jar [flags]
        --host HOST                         bind address (default 127.0.0.1)
        --port PORT                         feed and admin port (default 8765; 0 = any free port)
        --credentials ID:TOKEN[,ID:TOKEN]   accepted clients (default sim-client:sim-token)
        --expired-tokens TOKEN[,TOKEN]      tokens refused with reason 807 (expired)
        --rate N                            ticks per instrument per second (default 2)
        --seed N                            random-walk seed (default 42)
        --max-instruments-per-request N     default 100 (broker limit)
        --max-instruments-per-connection N  default 5000 (broker limit)
        --max-connections-per-client N      default 5 (broker limit)
        --ping-interval-seconds N           default 10
        --pong-timeout-seconds N            default 40
        --stamp-ticks                       stamp quote/full packets with send time and sequence
                                            (for the load tool: see docs/simulator.md)
        --chart-minutes N                   minutes per instrument kept for the intraday chart
                                            API, POST /v2/charts/intraday (default 375)
      """;

  private SimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "feed-simulator-logback.xml");
    }
    SimulatorConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("feed-simulator: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (config == null) {
      System.out.print(USAGE);
      return;
    }
    FeedSimulator simulator = FeedSimulator.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                },
                "feed-simulator-shutdown"));
    System.out.println(
        "feed:  " + simulator.baseUrl() + "?version=2&token=<token>&clientId=<id>&authType=2");
    System.out.println(
        "admin: " + simulator.adminUrl() + "connections, " + simulator.adminUrl() + "stats");
    System.out.println("charts: POST " + simulator.apiUrl() + IntradayChartApi.PATH);
    System.out.println("clients: " + config.credentials().keySet() + " (Ctrl-C stops)");
    stopped.await();
  }

  /** The configuration the flags describe, or {@code null} when help was asked for. */
  static SimulatorConfig parse(String[] args) {
    SimulatorConfig config =
        SimulatorConfig.defaults().withAddress("127.0.0.1", SimulatorConfig.DEFAULT_PORT);
    Iterator<String> it = Arrays.asList(args).iterator();
    while (it.hasNext()) {
      String flag = it.next();
      if (flag.equals("--help") || flag.equals("-h")) {
        return null;
      }
      if (flag.equals("--stamp-ticks")) {
        config = config.withStampedTicks(true);
        continue;
      }
      if (!it.hasNext()) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = it.next();
      config =
          switch (flag) {
            case "--host" -> config.withAddress(value, config.port());
            case "--port" -> config.withAddress(config.host(), integer(flag, value));
            case "--credentials" ->
                config.withCredentials(credentials(value), config.expiredTokens());
            case "--expired-tokens" ->
                config.withCredentials(
                    config.credentials(), new HashSet<>(Arrays.asList(value.split(","))));
            case "--rate" -> config.withMarket(decimal(flag, value), config.seed());
            case "--seed" -> config.withMarket(config.ticksPerSecond(), integer(flag, value));
            case "--max-instruments-per-request" ->
                config.withLimits(
                    integer(flag, value),
                    config.maxInstrumentsPerConnection(),
                    config.maxConnectionsPerClient());
            case "--max-instruments-per-connection" ->
                config.withLimits(
                    config.maxInstrumentsPerRequest(),
                    integer(flag, value),
                    config.maxConnectionsPerClient());
            case "--max-connections-per-client" ->
                config.withLimits(
                    config.maxInstrumentsPerRequest(),
                    config.maxInstrumentsPerConnection(),
                    integer(flag, value));
            case "--ping-interval-seconds" ->
                config.withKeepAlive(
                    Duration.ofSeconds(integer(flag, value)), config.pongTimeout());
            case "--pong-timeout-seconds" ->
                config.withKeepAlive(
                    config.pingInterval(), Duration.ofSeconds(integer(flag, value)));
            case "--chart-minutes" -> config.withChartMinutes(integer(flag, value));
            default -> throw new IllegalArgumentException("unknown flag " + flag);
          };
    }
    return config;
  }

  private static Map<String, String> credentials(String value) {
    Map<String, String> credentials = new LinkedHashMap<>();
    for (String pair : value.split(",")) {
      int colon = pair.indexOf(':');
      if (colon <= 0 || colon == pair.length() - 1) {
        throw new IllegalArgumentException("credentials are ID:TOKEN pairs separated by commas");
      }
      credentials.put(pair.substring(0, colon), pair.substring(colon + 1));
    }
    return credentials;
  }

  private static int integer(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " takes a whole number, not '" + value + "'");
    }
  }

  private static double decimal(String flag, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " takes a number, not '" + value + "'");
    }
  }
}
