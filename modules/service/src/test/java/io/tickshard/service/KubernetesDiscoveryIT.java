package io.tickshard.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tickshard.service.rig.FreePorts;
import io.tickshard.service.rig.NodeProcess;
import io.tickshard.service.rig.StreamsApi;
import io.tickshard.simulator.FeedSimulator;
import io.tickshard.simulator.SimulatorConfig;
import io.tickshard.streams.testkit.EmbeddedDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes (JVMs of the packaged jar) with {@code TICKSHARD_DISCOVERY=kubernetes-api} form one
 * cluster from what a Kubernetes API server answers about their pods, as in a pod
 * (docker/kubernetes): the API over TLS signed by the service account's CA, its bearer token, the
 * namespace from its file. The API server here answers only the pods call, as Kubernetes does (a
 * PodList of the pods labelled {@code app=tickshard}, each with its IP and its container port named
 * {@code management}).
 */
class KubernetesDiscoveryIT {
  private static final String NAMESPACE = "trading";
  private static final String TOKEN = "service-account-token";

  private static Path dir;
  private static HttpsServer api;
  private static FeedSimulator simulator;
  private static final List<String> asked = new CopyOnWriteArrayList<>();
  private static final List<NodeProcess> nodes = new ArrayList<>();

  @BeforeAll
  static void apiServer() throws Exception {
    dir = Files.createDirectories(Path.of("target", "kubernetes-discovery").toAbsolutePath());
    Path keystore = dir.resolve("api-server.p12");
    Files.deleteIfExists(keystore);
    keytool(
        "-genkeypair",
        "-alias",
        "api",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=kubernetes",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "api",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        dir.resolve("ca.crt").toString());
    Files.writeString(dir.resolve("token"), TOKEN);
    Files.writeString(dir.resolve("namespace"), NAMESPACE);

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory managers = KeyManagerFactory.getInstance("SunX509");
    managers.init(keys, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(managers.getKeyManagers(), null, null);
    api = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.setHttpsConfigurator(new HttpsConfigurator(tls));
    api.createContext("/", KubernetesDiscoveryIT::answer);
    api.start();
    simulator = FeedSimulator.start(SimulatorConfig.defaults());
  }

  @AfterAll
  static void stop() throws Exception {
    for (NodeProcess node : nodes) {
      node.stop(Duration.ofSeconds(60));
    }
    api.stop(0);
    simulator.close();
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor()).as("keytool: %s", output).isZero();
  }

  /** The pods call, as the API server answers it; anything else, or no token, is refused. */
  private static void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String query = exchange.getRequestURI().getQuery();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    asked.add(path + "?" + query);
    int status;
    String body;
    if (!("Bearer " + TOKEN).equals(authorization)) {
      status = 401;
      body = "{\"kind\":\"Status\",\"code\":401}";
    } else if (path.equals("/api/v1/namespaces/" + NAMESPACE + "/pods")
        && "labelSelector=app=tickshard".equals(query)) {
      status = 200;
      body = podList();
    } else {
      status = 404;
      body = "{\"kind\":\"Status\",\"code\":404}";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /** Every node started so far as a running pod on 127.0.0.1. */
  private static String podList() {
    return nodes.stream()
        .map(
            node ->
                """
                {"metadata":{"name":"%s"},
                 "spec":{"containers":[{"name":"tickshard","ports":[
                   {"name":"http","containerPort":%d},{"name":"management","containerPort":%d}]}]},
                 "status":{"podIP":"127.0.0.1","phase":"Running",
                   "containerStatuses":[{"name":"tickshard","state":{"running":{}}}]}}"""
                    .formatted(node.name(), node.httpPort(), node.managementPort()))
        .collect(Collectors.joining(",", "{\"kind\":\"PodList\",\"items\":[", "]}"));
  }

  @Test
  void two_pods_found_through_the_kubernetes_api_form_one_cluster() throws Exception {
    EmbeddedDatabase.Database database = EmbeddedDatabase.newDatabase();
    Map<String, String> environment =
        Map.of(
            "TICKSHARD_DISCOVERY", "kubernetes-api",
            "KUBERNETES_SERVICE_HOST", "127.0.0.1",
            "KUBERNETES_SERVICE_PORT", String.valueOf(api.getAddress().getPort()),
            "TICKSHARD_DB_URL", database.url(),
            "TICKSHARD_DB_USER", database.user(),
            "TICKSHARD_DB_PASSWORD", database.password(),
            "DHANHQ_WS_URL", simulator.baseUrl().toString());
    // Where a pod has its service account's files.
    Map<String, String> serviceAccount =
        Map.of(
            "pekko.discovery.kubernetes-api.api-ca-path", dir.resolve("ca.crt").toString(),
            "pekko.discovery.kubernetes-api.api-token-path", dir.resolve("token").toString(),
            "pekko.discovery.kubernetes-api.pod-namespace-path",
                dir.resolve("namespace").toString());
    for (int i = 1; i <= 2; i++) {
      nodes.add(
          NodeProcess.start(
              "pod" + i, FreePorts.next(), environment, List.of(), serviceAccount, dir));
    }

    for (NodeProcess node : nodes) {
      node.awaitReady();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              JsonNode members = StreamsApi.getOk(nodes.get(1).management() + "/cluster/members");
              List<String> up = new ArrayList<>();
              members
                  .get("members")
                  .forEach(
                      m -> {
                        if (m.get("status").asText().equals("Up")) {
                          up.add(m.get("node").asText());
                        }
                      });
              assertThat(up)
                  .containsExactlyInAnyOrderElementsOf(
                      nodes.stream().map(n -> "pekko://tickshard@" + n.node()).toList());
            });
    assertThat(asked)
        .as("the pods call, with the namespace from its file and the label of the service")
        .contains("/api/v1/namespaces/" + NAMESPACE + "/pods?labelSelector=app=tickshard");
  }
}
