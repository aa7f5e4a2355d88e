package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/compose.yaml and docker/Dockerfile, read as files: no Docker engine runs on these
 * machines, so the image is never built here. What can be checked without one is checked: the
 * cluster the compose file describes is wired with the names the node actually reads.
 */
class DockerComposeTest {
  private static final Path REPO = Path.of("..", "..");
  private static final List<String> NODES = List.of("node1", "node2", "node3");
  private static final Set<String> NODE_VARIABLES =
      Set.of(
          "TICKSHARD_HOST",
          "TICKSHARD_DISCOVERY",
          "TICKSHARD_DISCOVERY_ENDPOINTS",
          "TICKSHARD_DB_URL",
          "TICKSHARD_DB_USER",
          "TICKSHARD_DB_PASSWORD",
          "DHANHQ_WS_URL",
          "TICKSHARD_API_TOKEN");

  private static String composeText;
  private static Map<String, Object> services;

  @BeforeAll
  static void read() throws IOException {
    composeText = Files.readString(REPO.resolve("docker/compose.yaml"));
    Map<String, Object> compose = new Yaml().load(composeText);
    services = map(compose.get("services"));
  }

  @Test
  void the_file_runs_a_journal_a_simulator_and_three_nodes() {
    assertThat(services).containsKeys("postgres", "simulator", "node1", "node2", "node3");
    assertThat(map(services.get("postgres")).get("image").toString()).startsWith("postgres:");
  }

  @Test
  void every_node_and_the_simulator_run_the_same_image() {
    Map<String, Object> simulator = map(services.get("simulator"));
    for (String node : NODES) {
      Map<String, Object> service = map(services.get(node));
      assertThat(service.get("image")).as(node).isNotNull().isEqualTo(simulator.get("image"));
      assertThat(service.get("build")).as(node).isNotNull().isEqualTo(simulator.get("build"));
    }
  }

  @Test
  void every_node_waits_for_the_journal_and_restarts_by_itself() {
    for (String node : NODES) {
      Map<String, Object> service = map(services.get(node));
      Object dependsOn = service.get("depends_on");
      if (dependsOn instanceof Map<?, ?> conditions) {
        assertThat(map(conditions.get("postgres")))
            .as(node)
            .containsEntry("condition", "service_healthy");
      } else {
        assertThat(list(dependsOn)).as(node).contains("postgres");
      }
      assertThat(service.get("restart")).as(node).isEqualTo("unless-stopped");
    }
  }

  @Test
  void every_node_is_healthy_only_when_management_says_ready() {
    for (String node : NODES) {
      List<String> test = list(map(map(services.get(node)).get("healthcheck")).get("test"));
      String probe = String.join(" ", test);
      assertThat(probe).as(node).contains("/ready").contains("8558");
      // Management binds TICKSHARD_HOST (the service name), so nothing answers on localhost.
      assertThat(probe).as(node).doesNotContain("localhost").contains("TICKSHARD_HOST");
      if (probe.contains("/dev/tcp")) {
        // CMD-SHELL runs /bin/sh, which is dash in the image: only bash has /dev/tcp.
        assertThat(test.subList(0, 2)).as(node).containsExactly("CMD", "bash");
        // A hand-written request: pekko-http answers 400 to one without a Host header.
        assertThat(probe).as(node).contains("Host:");
      }
    }
  }

  @Test
  void every_node_sets_exactly_the_contract_variables_it_needs() {
    for (String node : NODES) {
      Map<String, String> environment = environment(node);
      assertThat(environment.keySet()).as(node).containsExactlyInAnyOrderElementsOf(NODE_VARIABLES);
      assertThat(environment).as(node).containsEntry("TICKSHARD_HOST", node);
      assertThat(environment.get("TICKSHARD_DB_URL")).as(node).startsWith("jdbc:postgresql://");
      assertThat(environment.get("DHANHQ_WS_URL")).as(node).startsWith("ws://simulator:");
    }
  }

  @Test
  void every_variable_name_in_the_file_is_one_the_node_reads() throws IOException {
    String conf = Files.readString(REPO.resolve("conf/application.conf"));
    Set<String> read = new TreeSet<>();
    Matcher optional = Pattern.compile("\\$\\{\\?([A-Z0-9_]+)}").matcher(conf);
    while (optional.find()) {
      read.add(optional.group(1));
    }
    assertThat(read).contains("TICKSHARD_HOST", "DHANHQ_WS_URL");

    Set<String> used = new TreeSet<>();
    Matcher name = Pattern.compile("\\b(?:TICKSHARD|DHANHQ)_[A-Z0-9_]+").matcher(composeText);
    while (name.find()) {
      used.add(name.group());
    }
    assertThat(used).containsAll(NODE_VARIABLES);
    assertThat(read).containsAll(used);
  }

  @Test
  void the_nodes_find_each_other_by_config_discovery_of_the_management_ports_of_this_file() {
    Set<String> lists = new HashSet<>();
    for (String node : NODES) {
      assertThat(environment(node).get("TICKSHARD_DISCOVERY")).as(node).isEqualTo("config");
      lists.add(environment(node).get("TICKSHARD_DISCOVERY_ENDPOINTS"));
    }
    assertThat(lists).hasSize(1);
    List<String> endpoints = List.of(lists.iterator().next().split(","));
    assertThat(endpoints).hasSize(NODES.size());
    for (String endpoint : endpoints) {
      String[] hostAndPort = endpoint.trim().split(":");
      assertThat(hostAndPort).as(endpoint).hasSize(2);
      assertThat(NODES).as(endpoint).contains(hostAndPort[0]);
      // No node sets TICKSHARD_MANAGEMENT_PORT, so each one listens on the default.
      assertThat(hostAndPort[1]).as(endpoint).isEqualTo("8558");
    }
  }

  @Test
  void no_two_services_publish_the_same_host_port() {
    Map<String, String> publishedBy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> service : services.entrySet()) {
      for (Object port : list(map(service.getValue()).get("ports"))) {
        Optional<String> hostPort = hostPort(port);
        if (hostPort.isPresent()) {
          String earlier = publishedBy.putIfAbsent(hostPort.get(), service.getKey());
          assertThat(earlier)
              .as("host port %s published by %s", hostPort.get(), service.getKey())
              .isNull();
        }
      }
    }
    assertThat(publishedBy).containsKeys("8081", "8082", "8083", "8591", "8592", "8593");
  }

  @Test
  void the_simulator_listens_beyond_its_own_localhost_on_the_port_the_nodes_use() {
    Map<String, Object> simulator = map(services.get("simulator"));
    List<String> argv = new ArrayList<>(list(simulator.get("entrypoint")));
    argv.addAll(list(simulator.get("command")));
    String line = String.join(" ", argv);
    assertThat(line).contains("/app/feed-simulator.jar").contains("--host 0.0.0.0");
    assertThat(line).contains("--port 8765");
    assertThat(environment("node1").get("DHANHQ_WS_URL")).isEqualTo("ws://simulator:8765/");
  }

  @Test
  void the_image_runs_the_node_jar_as_a_user_other_than_root() throws IOException {
    List<String[]> instructions = instructions(Files.readString(REPO.resolve("docker/Dockerfile")));
    int runtimeStage = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i)[0].equals("FROM")) {
        runtimeStage = i;
      }
    }
    List<String[]> runtime = instructions.subList(runtimeStage, instructions.size());
    assertThat(runtimeStage).as("a build stage before the runtime stage").isPositive();

    List<String> users = arguments(runtime, "USER");
    assertThat(users).as("USER in the runtime stage").isNotEmpty();
    String user = users.get(users.size() - 1).split(":")[0];
    assertThat(user).isNotIn("root", "0");

    List<String> entrypoints = arguments(runtime, "ENTRYPOINT");
    assertThat(entrypoints).hasSize(1);
    assertThat(entrypoints.get(0)).contains("/app/tickshard.jar").contains("\"-jar\"");
  }

  private static Map<String, String> environment(String service) {
    Object environment = map(services.get(service)).get("environment");
    Map<String, String> variables = new LinkedHashMap<>();
    if (environment instanceof Map<?, ?> entries) {
      entries.forEach((k, v) -> variables.put(k.toString(), v == null ? "" : v.toString()));
    } else {
      for (String entry : list(environment)) {
        int equals = entry.indexOf('=');
        variables.put(
            equals < 0 ? entry : entry.substring(0, equals),
            equals < 0 ? "" : entry.substring(equals + 1));
      }
    }
    return variables;
  }

  /** The host port of a short ("8081:8080", "127.0.0.1:8081:8080") or long port entry. */
  private static Optional<String> hostPort(Object port) {
    if (port instanceof Map<?, ?> entry) {
      return Optional.ofNullable(entry.get("published")).map(Object::toString);
    }
    String[] parts = port.toString().split("/")[0].split(":");
    return parts.length < 2 ? Optional.empty() : Optional.of(parts[parts.length - 2]);
  }

  /** Dockerfile instructions as {keyword, arguments}, continuations joined, comments dropped. */
  private static List<String[]> instructions(String dockerfile) {
    List<String[]> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || trimmed.isEmpty()) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String instruction = current.toString().strip();
      current.setLength(0);
      if (!instruction.isEmpty()) {
        String[] parts = instruction.split("\\s+", 2);
        instructions.add(new String[] {parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""});
      }
    }
    return instructions;
  }

  private static List<String> arguments(List<String[]> instructions, String keyword) {
    return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  private static List<String> list(Object value) {
    if (value == null) {
      return List.of();
    }
    assertThat(value).isInstanceOf(List.class);
    return ((List<?>) value).stream().map(v -> String.valueOf(v)).toList();
  }

  @Test
  void prometheus_scrapes_every_node_and_grafana_gets_the_dashboard_from_the_repository()
      throws IOException {
    Map<String, Object> prometheus =
        new Yaml().load(Files.readString(REPO.resolve("docker/prometheus/prometheus.yml")));
    Object targets = map(((List<?>) prometheus.get("scrape_configs")).get(0)).get("static_configs");
    assertThat(targets.toString()).contains("node1:8558", "node2:8558", "node3:8558");
    assertThat(services).containsKeys("prometheus", "grafana");
    for (Object volume : (List<?>) map(services.get("grafana")).get("volumes")) {
      String host = volume.toString().split(":")[0];
      assertThat(REPO.resolve("docker").resolve(host)).as(volume.toString()).isDirectory();
    }
    assertThat(REPO.resolve("docker/grafana/dashboards/tickshard.json")).isRegularFile();
  }

  @Test
  void prometheus_loads_the_alert_rules_it_is_given() throws IOException {
    Map<String, Object> prometheus =
        new Yaml().load(Files.readString(REPO.resolve("docker/prometheus/prometheus.yml")));
    List<String> ruleFiles = list(prometheus.get("rule_files"));
    assertThat(ruleFiles).containsExactly("/etc/prometheus/alerts.yml");
    // Each rule file inside the container is mounted from a file in the repository.
    List<String> mounts = list(map(services.get("prometheus")).get("volumes"));
    for (String inside : ruleFiles) {
      String mount =
          mounts.stream()
              .filter(m -> m.split(":")[1].equals(inside))
              .findFirst()
              .orElseThrow(() -> new AssertionError(inside + " is not mounted"));
      assertThat(REPO.resolve("docker").resolve(mount.split(":")[0])).isRegularFile();
    }
    Map<String, Object> alerts =
        new Yaml().load(Files.readString(REPO.resolve("docker/prometheus/alerts.yml")));
    List<?> rules = (List<?>) map(((List<?>) alerts.get("groups")).get(0)).get("rules");
    assertThat(rules)
        .extracting(rule -> map(rule).get("alert"))
        .contains(
            "TickshardNotTicking",
            "TickshardSocketsAtBudget",
            "TickshardTokenExpiring",
            "TickshardJournalDown");
    for (Object rule : rules) {
      assertThat(map(rule)).containsKeys("alert", "expr", "labels", "annotations");
    }
  }
}
