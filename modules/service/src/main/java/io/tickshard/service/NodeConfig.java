package io.tickshard.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tickshard.simulator.SimulatorConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the layered configuration (and the environment it maps) into what a node runs with: which
 * feed, which database, which seed nodes, which market hours. Decisions that depend on each other
 * are made here, in one place.
 */
final class NodeConfig {
  /** The broker's live-feed address, used when credentials are given without a URL. */
  static final String BROKER_URL = "wss://api-feed.dhan.co";

  /** Where streams connect, and as whom. The token is never printed. */
  record Feed(String url, String clientId, String accessToken, boolean broker) {
    @Override
    public String toString() {
      return (broker ? "broker " : "simulator ") + url + " (client " + clientId + ")";
    }
  }

  /** The journal database. The password is never printed. */
  record Database(String url, String user, String password, boolean embedded) {
    @Override
    public String toString() {
      return (embedded ? "embedded PostgreSQL " : "PostgreSQL ")
          + url.replaceAll("password=[^&]*", "password=***");
    }
  }

  /** What the layered configuration asks for before anything is started. */
  record Plan(
      boolean brokerCredentials,
      boolean simulatorInProcess,
      boolean embeddedDatabase,
      String marketHours,
      List<String> seedNodes,
      String appVersion,
      Discovery discovery) {}

  /**
   * How the nodes find each other when not by seed nodes: pekko-management's cluster bootstrap with
   * {@code method} ({@code config} or {@code kubernetes-api}); none: seed nodes.
   *
   * @param endpoints for {@code config}: every node's management {@code host:port}
   */
  record Discovery(String method, String service, List<String> endpoints, int contactPoints) {
    static final Discovery NONE = new Discovery("", "", List.of(), 0);

    boolean enabled() {
      return !method.isEmpty();
    }
  }

  /** Pekko's own default: no version was given. */
  private static final String NO_APP_VERSION = "0.0.0";

  private NodeConfig() {}

  /** The configuration layers as they stand, before anything is decided or started. */
  static Config layered() {
    return ConfigFactory.load();
  }

  static Plan plan(Config config) {
    Config broker = config.getConfig("tickshard.broker");
    boolean credentials = brokerCredentials(broker);
    boolean simulator = !credentials && broker.getString("url").isBlank();
    String hours = config.getString("tickshard.market-hours");
    return new Plan(
        credentials,
        simulator,
        config.getString("tickshard.db.url").isBlank(),
        hours.isBlank() ? (credentials ? "nse" : "always") : hours,
        seedNodes(config),
        appVersion(config),
        discovery(config));
  }

  private static Discovery discovery(Config config) {
    String method = config.getString("tickshard.discovery").trim();
    if (method.isEmpty()) {
      return Discovery.NONE;
    }
    if (!method.equals("config") && !method.equals("kubernetes-api")) {
      throw new IllegalArgumentException(
          "TICKSHARD_DISCOVERY must be config or kubernetes-api (or empty: seed nodes), not '"
              + method
              + "'");
    }
    List<String> endpoints =
        hostPorts(
            config.getString("tickshard.discovery-endpoints"),
            "TICKSHARD_DISCOVERY_ENDPOINTS must be a comma list of host:port (management ports)");
    if (method.equals("config") && endpoints.isEmpty()) {
      throw new IllegalArgumentException(
          "TICKSHARD_DISCOVERY=config needs TICKSHARD_DISCOVERY_ENDPOINTS: every node's management"
              + " host:port");
    }
    int contactPoints = config.getInt("tickshard.discovery-contact-points");
    if (contactPoints < 1) {
      throw new IllegalArgumentException("TICKSHARD_DISCOVERY_CONTACT_POINTS must be at least 1");
    }
    return new Discovery(
        method, config.getString("tickshard.discovery-service"), endpoints, contactPoints);
  }

  /**
   * The version this node tells the cluster ({@code pekko.cluster.app-version}): the one given
   * ({@code TICKSHARD_APP_VERSION}), else the build's. In a rolling upgrade sharding then allocates
   * shards to the nodes of the newest version, so streams move once, onto upgraded nodes.
   */
  private static String appVersion(Config config) {
    String given = config.getString("pekko.cluster.app-version");
    if (!given.equals(NO_APP_VERSION)) {
      return given;
    }
    String built = Usage.version();
    return built.equals("unknown") ? NO_APP_VERSION : built;
  }

  /** The feed when it is not the in-process simulator. */
  static Feed externalFeed(Config config) {
    Config broker = config.getConfig("tickshard.broker");
    if (brokerCredentials(broker)) {
      String url = broker.getString("url").isBlank() ? BROKER_URL : broker.getString("url");
      return new Feed(url, broker.getString("client-id"), broker.getString("access-token"), true);
    }
    return new Feed(
        broker.getString("url"),
        SimulatorConfig.DEFAULT_CLIENT_ID,
        SimulatorConfig.DEFAULT_ACCESS_TOKEN,
        false);
  }

  /** A client id, and a token in the environment or a token file (read by the streams). */
  private static boolean brokerCredentials(Config broker) {
    return !broker.getString("client-id").isBlank()
        && (!broker.getString("access-token").isBlank()
            || !broker.getString("token-file").isBlank());
  }

  static Database externalDatabase(Config config) {
    Config db = config.getConfig("tickshard.db");
    return new Database(db.getString("url"), db.getString("user"), db.getString("password"), false);
  }

  private static List<String> seedNodes(Config config) {
    String text = config.getString("tickshard.seed-nodes");
    if (text.isBlank()) {
      return List.of(
          config.getString("tickshard.host") + ":" + config.getInt("tickshard.cluster-port"));
    }
    return hostPorts(text, "TICKSHARD_SEED_NODES must be a comma list of host:port");
  }

  /** A comma list of {@code host:port}; one that is not stops the node, {@code rule} says why. */
  private static List<String> hostPorts(String text, String rule) {
    List<String> list =
        Arrays.stream(text.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList();
    for (String hostPort : list) {
      if (!hostPort.matches("[^:\\s]+:\\d{1,5}")) {
        throw new IllegalArgumentException(rule + ", not '" + hostPort + "'");
      }
    }
    return list;
  }

  /**
   * The configuration the node runs with: the layered one with the decided feed, database, market
   * hours and seed nodes on top, resolved after they are in place so that every substitution sees
   * them.
   */
  static Config finalConfig(Plan plan, Feed feed, Database database) {
    return finalConfig(plan, feed, database, Map.of());
  }

  /** As above, with {@code extra} settings on top (tests use it for ports). */
  static Config finalConfig(Plan plan, Feed feed, Database database, Map<String, Object> extra) {
    Map<String, Object> decided = new HashMap<>(extra);
    decided.put("tickshard.feed.url", feed.url());
    decided.put("tickshard.feed.client-id", feed.clientId());
    decided.put("tickshard.feed.access-token", feed.accessToken());
    decided.put("tickshard.db.url", database.url());
    decided.put("tickshard.db.user", database.user());
    decided.put("tickshard.db.password", database.password());
    decided.put("tickshard.market-hours", plan.marketHours());
    // The simulator plays the sample's instruments; with the broker, its list is the operator's.
    decided.put("tickshard.instruments.sample", !feed.broker());
    decided.put("pekko.cluster.app-version", plan.appVersion());
    if (plan.discovery().enabled()) {
      bootstrap(plan.discovery(), decided);
    } else {
      decided.put(
          "pekko.cluster.seed-nodes",
          plan.seedNodes().stream().map(seed -> "pekko://tickshard@" + seed).toList());
    }
    return ConfigFactory.load(
        ConfigFactory.parseMap(decided).withFallback(ConfigFactory.defaultApplication()));
  }

  /** Cluster bootstrap's settings for {@code discovery}: it forms or joins the cluster. */
  private static void bootstrap(Discovery discovery, Map<String, Object> decided) {
    String prefix = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    decided.put(prefix + "discovery-method", discovery.method());
    decided.put(prefix + "service-name", discovery.service());
    decided.put(prefix + "required-contact-point-nr", discovery.contactPoints());
    // Discovery gives each contact point's port: several nodes on one host (bin/cluster) have
    // management ports of their own, which the default filter (this node's port only) drops.
    decided.put("pekko.management.cluster.bootstrap.contact-point.filter-on-fallback-port", false);
    if (discovery.method().equals("kubernetes-api")) {
      // The pod's container port named "management" (docker/kubernetes/tickshard.yaml).
      decided.put(prefix + "port-name", "management");
      decided.put("pekko.discovery.kubernetes-api.use-raw-ip", true);
    } else {
      List<Map<String, Object>> endpoints = new ArrayList<>();
      for (String endpoint : discovery.endpoints()) {
        int colon = endpoint.lastIndexOf(':');
        endpoints.add(
            Map.of(
                "host",
                endpoint.substring(0, colon),
                "port",
                Integer.parseInt(endpoint.substring(colon + 1))));
      }
      decided.put(
          "pekko.discovery.config.services." + discovery.service() + ".endpoints", endpoints);
    }
  }
}
