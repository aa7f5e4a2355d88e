package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker/kubernetes/tickshard.yaml against the node it runs: its ports, probe paths, variable names
 * and discovery settings are the ones the configuration reads, so a rename on either side fails
 * here rather than in a cluster.
 */
class KubernetesManifestsTest {
  private static final Path MANIFEST =
      Path.of("..", "..", "docker", "kubernetes", "tickshard.yaml");

  private static List<JsonNode> documents;
  private static Config config;

  @BeforeAll
  static void read() throws IOException {
    ObjectMapper json = new ObjectMapper();
    documents = new ArrayList<>();
    for (Object document : new Yaml().loadAll(Files.readString(MANIFEST))) {
      documents.add(json.valueToTree(document));
    }
    config = NodeConfig.layered();
  }

  private static JsonNode kind(String kind) {
    return documents.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in " + MANIFEST));
  }

  private static JsonNode container() {
    return kind("Deployment").at("/spec/template/spec/containers/0");
  }

  private static int port(String name) {
    for (JsonNode port : container().path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port.path("containerPort").asInt();
      }
    }
    throw new AssertionError("no container port named " + name);
  }

  private static String env(String name) {
    for (JsonNode variable : container().path("env")) {
      if (variable.path("name").asText().equals(name)) {
        return variable.path("value").asText(null);
      }
    }
    return null;
  }

  @Test
  void the_container_ports_are_the_node_s_defaults_and_discovery_finds_the_management_one() {
    assertThat(port("http")).isEqualTo(config.getInt("tickshard.http.port"));
    assertThat(port("management")).isEqualTo(config.getInt("tickshard.management-port"));
    assertThat(port("remoting")).isEqualTo(config.getInt("tickshard.cluster-port"));
    // NodeConfig looks the contact points up by this port name.
    assertThat(env("TICKSHARD_DISCOVERY")).isEqualTo("kubernetes-api");
    String service = env("TICKSHARD_DISCOVERY_SERVICE");
    assertThat(kind("Deployment").at("/spec/template/metadata/labels/app").asText())
        .isEqualTo(service);
    assertThat(
            String.format(
                config.getString("pekko.discovery.kubernetes-api.pod-label-selector"), service))
        .isEqualTo("app=" + service);
    assertThat(Integer.parseInt(env("TICKSHARD_DISCOVERY_CONTACT_POINTS")))
        .isBetween(2, kind("Deployment").at("/spec/replicas").asInt());
  }

  @Test
  void the_probes_ask_the_management_paths_that_answer_ready_and_alive() {
    String readiness = config.getString("pekko.management.health-checks.readiness-path");
    String liveness = config.getString("pekko.management.health-checks.liveness-path");
    assertThat(container().at("/readinessProbe/httpGet/path").asText()).isEqualTo("/" + readiness);
    assertThat(container().at("/readinessProbe/httpGet/port").asText()).isEqualTo("management");
    assertThat(container().at("/livenessProbe/httpGet/path").asText()).isEqualTo("/" + liveness);
    assertThat(container().at("/livenessProbe/httpGet/port").asText()).isEqualTo("management");
    JsonNode annotations = kind("Deployment").at("/spec/template/metadata/annotations");
    assertThat(annotations.path("prometheus.io/port").asInt()).isEqualTo(port("management"));
    assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
  }

  @Test
  void every_variable_is_one_the_node_reads_and_secrets_come_from_secrets() {
    Set<String> contract =
        Usage.VARIABLES.stream().map(Usage.Variable::name).collect(Collectors.toSet());
    List<String> names = new ArrayList<>();
    container().path("env").forEach(v -> names.add(v.path("name").asText()));
    assertThat(names)
        .filteredOn(name -> !name.equals("JAVA_TOOL_OPTIONS"))
        .allSatisfy(name -> assertThat(contract).as("the contract's variables").contains(name));
    for (String secret :
        List.of(
            "TICKSHARD_DB_URL",
            "TICKSHARD_DB_PASSWORD",
            "DHANHQ_CLIENT_ID",
            "TICKSHARD_API_TOKEN")) {
      JsonNode variable = null;
      for (JsonNode v : container().path("env")) {
        if (v.path("name").asText().equals(secret)) {
          variable = v;
        }
      }
      assertThat(variable).as(secret).isNotNull();
      assertThat(variable.at("/valueFrom/secretKeyRef/name").asText()).as(secret).isNotEmpty();
    }
    // The broker token is a file from a Secret, re-read by the node (token rollover).
    String tokenFile = env("DHANHQ_ACCESS_TOKEN_FILE");
    assertThat(tokenFile).startsWith(container().at("/volumeMounts/0/mountPath").asText() + "/");
    assertThat(kind("Deployment").at("/spec/template/spec/volumes/0/secret/secretName").asText())
        .isNotEmpty();
  }

  @Test
  void discovery_may_list_pods_and_a_drain_or_roll_takes_one_pod_at_a_time() {
    JsonNode rule = kind("Role").at("/rules/0");
    assertThat(rule.path("resources").toString()).contains("pods");
    assertThat(rule.path("verbs").toString()).contains("list", "get", "watch");
    assertThat(kind("RoleBinding").at("/subjects/0/name").asText())
        .isEqualTo(kind("Deployment").at("/spec/template/spec/serviceAccountName").asText());
    assertThat(kind("PodDisruptionBudget").at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    assertThat(kind("Deployment").at("/spec/strategy/rollingUpdate/maxUnavailable").asInt())
        .isZero();
    // Above the node's own shutdown: viewers told, streams handed over, the cluster left.
    assertThat(kind("Deployment").at("/spec/template/spec/terminationGracePeriodSeconds").asInt())
        .isGreaterThanOrEqualTo(30);
    assertThat(kind("Service").at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
  }
}
