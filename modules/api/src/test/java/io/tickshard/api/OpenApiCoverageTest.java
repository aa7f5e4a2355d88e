package io.tickshard.api;

import static io.tickshard.api.testkit.JsonBodies.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tickshard.api.testkit.ApiPaths;
import io.tickshard.api.testkit.ApiServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docs/openapi.yaml describes exactly the routes the server answers: the same (method, path) pairs,
 * a success answer for each, the bearer requirement on every call that changes streams, and every
 * problem type the code can send. The route list below is itself checked against a real server, so
 * neither the document nor the list can drift from the code unnoticed.
 */
class OpenApiCoverageTest {
  /** The working directory of module tests is the module, modules/api. */
  private static final Path OPENAPI = Path.of("../../docs/openapi.yaml");

  private static final Path MAIN_SOURCES = Path.of("src/main/java/io/tickshard/api");
  private static final Path PROBLEM_SOURCE = MAIN_SOURCES.resolve("Problem.java");
  private static final Pattern PROBLEM_SLUG = Pattern.compile("new\\s+Problem\\(\\s*\"([^\"]+)\"");

  private static final Set<String> HTTP_METHODS =
      Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
  private static final Set<String> MUTATING = Set.of("POST", "PUT", "DELETE");

  private record Route(String method, String path) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  /**
   * Every (method, path) the server answers, apart from the static UI ({@code GET /}, {@code GET
   * /ui/...}), in an order that makes each probe below meaningful (start before status and stop).
   */
  private static final List<Route> ROUTES =
      List.of(
          new Route("POST", "/api/v1/streams"),
          new Route("GET", "/api/v1/streams"),
          new Route("GET", "/api/v1/streams/{key}"),
          new Route("GET", "/api/v1/streams/{key}/ticks"),
          new Route("GET", "/api/v1/streams/{key}/snapshot"),
          new Route("DELETE", "/api/v1/streams/{key}"),
          new Route("POST", "/api/v1/streams/stop-all"),
          new Route("GET", "/api/v1/cluster"),
          new Route("GET", "/api/v1/health"),
          new Route("POST", "/api/v1/health/check"),
          new Route("GET", "/api/v1/upstream"),
          new Route("GET", "/api/v1/instruments"),
          new Route("GET", "/api/v1/broker"),
          new Route("PUT", "/api/v1/broker/credentials"),
          new Route("POST", "/screeners/ltp/start"),
          new Route("GET", "/screeners/websocket/status"),
          new Route("POST", "/screeners/ltp/stop"),
          new Route("GET", "/api/v1/openapi.yaml"));

  private static final String KEY = "type:doc|ids:1";

  /** A valid request body per route that needs one. */
  private static final Map<Route, String> JSON_BODIES =
      Map.of(
          new Route("POST", "/api/v1/streams"),
          "{\"screenerType\":\"doc\",\"instruments\":[1]}",
          new Route("POST", "/screeners/ltp/start"),
          "{\"screener_type\":\"doc\",\"instrument_ids\":\"1\"}",
          new Route("POST", "/screeners/ltp/stop"),
          "{\"screener_type\":\"doc\",\"instrument_ids\":\"1\"}",
          new Route("PUT", "/api/v1/broker/credentials"),
          "{\"accessToken\":\"doc-token\"}");

  private static final Map<Route, String> QUERIES =
      Map.of(
          new Route("GET", "/screeners/websocket/status"),
          "?screener_type=doc&instrument_ids=1",
          new Route("GET", "/api/v1/instruments"),
          "?q=REL");

  private static Map<String, Object> openApi;
  private static String openApiText;
  private static ApiServer server;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws IOException {
    openApiText = Files.readString(OPENAPI);
    openApi = new Yaml().load(openApiText);
    server = ApiServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void the_document_is_openapi_3_0_3() {
    assertThat(openApi.get("openapi")).isEqualTo("3.0.3");
  }

  @Test
  void the_document_has_exactly_the_routes_of_the_server() {
    Set<Route> documented = new LinkedHashSet<>();
    operations().forEach(op -> documented.add(op.route()));

    assertThat(documented)
        .as("routes in docs/openapi.yaml that the server does not answer")
        .isSubsetOf(ROUTES);
    assertThat(ROUTES)
        .as("routes the server answers that docs/openapi.yaml misses")
        .isSubsetOf(documented);
  }

  @Test
  void every_operation_declares_a_success_answer() {
    operations()
        .forEach(
            op ->
                assertThat(op.responseCodes())
                    .as(op.route() + " responses")
                    .anyMatch(code -> code.startsWith("2")));
  }

  @Test
  void every_call_that_changes_streams_needs_the_bearer_token_and_says_401_and_403() {
    Map<String, Object> scheme = at(openApi, "components", "securitySchemes", "bearerAuth");
    assertThat(scheme).containsEntry("type", "http").containsEntry("scheme", "bearer");
    assertThat(openApi).as("no global security: reads are open").doesNotContainKey("security");

    operations()
        .forEach(
            op -> {
              boolean bearer =
                  op.security().stream()
                      .anyMatch(requirement -> requirement.containsKey("bearerAuth"));
              if (MUTATING.contains(op.route().method())) {
                assertThat(bearer).as(op.route() + " requires bearerAuth").isTrue();
                assertThat(op.responseCodes()).as(op.route() + " responses").contains("401");
                assertThat(op.responseCodes())
                    .as(op.route() + " says 403 cross-origin")
                    .contains("403");
              } else {
                assertThat(bearer).as(op.route() + " is a read: no token").isFalse();
              }
            });
  }

  @Test
  void every_call_that_takes_a_body_says_415_for_one_of_another_type() {
    for (Route route :
        List.of(
            new Route("POST", "/api/v1/streams"),
            new Route("POST", "/api/v1/streams/stop-all"),
            new Route("POST", "/screeners/ltp/start"),
            new Route("POST", "/screeners/ltp/stop"),
            new Route("PUT", "/api/v1/broker/credentials"))) {
      assertThat(operation(route).responseCodes()).as(route + " responses").contains("415");
    }
  }

  @Test
  void every_problem_type_of_the_code_is_documented_and_no_other() throws IOException {
    Set<String> catalogue = slugs(Files.readString(PROBLEM_SOURCE));
    assertThat(catalogue).as("problem types found in Problem.java").hasSizeGreaterThan(10);
    Set<String> everywhere = new TreeSet<>();
    try (Stream<Path> sources = Files.list(MAIN_SOURCES)) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        everywhere.addAll(slugs(Files.readString(source)));
      }
    }
    @SuppressWarnings("unchecked")
    List<String> documentedTypes =
        (List<String>)
            at(openApi, "components", "schemas", "Problem", "properties", "type").get("enum");

    for (String slug : everywhere) {
      assertThat(openApiText)
          .as("docs/openapi.yaml mentions " + slug)
          .contains("/problems/" + slug);
      assertThat(documentedTypes).as("Problem.type enum").contains("/problems/" + slug);
    }
    assertThat(everywhere).containsAll(catalogue);
    assertThat(documentedTypes)
        .as("documented problem types the code never sends")
        .allMatch(type -> everywhere.contains(type.substring("/problems/".length())));
  }

  @Test
  void every_node_serves_this_document_as_it_is() throws Exception {
    HttpResponse<String> served =
        http.send(
            HttpRequest.newBuilder(server.uri("/api/v1/openapi.yaml")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("content-type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
    assertThat(served.body()).isEqualTo(openApiText);
  }

  @Test
  void every_node_serves_a_page_that_renders_it_and_the_files_it_needs() throws Exception {
    Map<String, String> types =
        Map.of(
            "/ui/api-docs.html", "text/html",
            "/ui/api-docs.js", "application/javascript",
            "/ui/swagger-ui/swagger-ui-bundle.js", "application/javascript",
            "/ui/swagger-ui/swagger-ui.css", "text/css");
    for (Map.Entry<String, String> file : types.entrySet()) {
      HttpResponse<String> served =
          http.send(
              HttpRequest.newBuilder(server.uri(file.getKey())).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(served.statusCode()).as(file.getKey()).isEqualTo(200);
      assertThat(served.headers().firstValue("content-type"))
          .as(file.getKey())
          .hasValueSatisfying(type -> assertThat(type).startsWith(file.getValue()));
    }
  }

  @Test
  void every_listed_route_exists_on_a_real_server() throws Exception {
    // The probe tells a missing route from a present one: check that first.
    assertThat(problemType(send("GET", "/api/v1/no-such-thing", null)))
        .isEqualTo("/problems/not-found");
    assertThat(send("PUT", "/api/v1/streams", "{}").statusCode()).isEqualTo(405);

    for (Route route : ROUTES) {
      String path =
          route.path().replace("{key}", ApiPaths.encodedKey(KEY)) + QUERIES.getOrDefault(route, "");
      Answer answer = send(route.method(), path, JSON_BODIES.get(route));

      assertThat(answer.statusCode()).as(route + " answered " + answer).isNotEqualTo(405);
      if (answer.statusCode() == 404) {
        assertThat(problemType(answer))
            .as(route + " answered " + answer)
            .isNotEqualTo("/problems/not-found");
      }
      assertThat(operation(route).responseCodes())
          .as(route + " documents the status it answered: " + answer)
          .contains(String.valueOf(answer.statusCode()));
    }
  }

  // ---- reading the document -----------------------------------------------------------------

  private record Operation(Route route, Map<String, Object> body) {
    Set<String> responseCodes() {
      Set<String> codes = new TreeSet<>();
      at(body, "responses").keySet().forEach(code -> codes.add(String.valueOf(code)));
      return codes;
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> security() {
      Object security = body.get("security");
      return security == null ? List.of() : (List<Map<String, Object>>) security;
    }
  }

  private static List<Operation> operations() {
    Map<String, Object> paths = at(openApi, "paths");
    assertThat(paths).as("paths").isNotEmpty();
    return paths.entrySet().stream()
        .flatMap(
            path ->
                asMap(path.getValue()).entrySet().stream()
                    .filter(entry -> HTTP_METHODS.contains(entry.getKey()))
                    .map(
                        entry ->
                            new Operation(
                                new Route(entry.getKey().toUpperCase(), path.getKey()),
                                asMap(entry.getValue()))))
        .toList();
  }

  private static Operation operation(Route route) {
    return operations().stream()
        .filter(op -> op.route().equals(route))
        .findFirst()
        .orElseThrow(() -> new AssertionError(route + " is not in docs/openapi.yaml"));
  }

  /** The mapping at a path of keys, failing with the missing key's name. */
  private static Map<String, Object> at(Map<String, Object> root, String... keys) {
    Map<String, Object> node = root;
    for (String key : keys) {
      assertThat(node).as("has " + key).containsKey(key);
      node = asMap(node.get(key));
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value) {
    assertThat(value).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  private static Set<String> slugs(String source) {
    Set<String> slugs = new TreeSet<>();
    Matcher matcher = PROBLEM_SLUG.matcher(source);
    while (matcher.find()) {
      slugs.add(matcher.group(1));
    }
    return slugs;
  }

  // ---- talking to the server ----------------------------------------------------------------

  private record Answer(int statusCode, String contentType, String body) {
    @Override
    public String toString() {
      return statusCode + " " + contentType + " " + body;
    }
  }

  /** Sends a request; an event stream is closed after its head, since it never ends. */
  private static Answer send(String method, String path, String json) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(20));
    if (json != null) {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<InputStream> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    String contentType = response.headers().firstValue("content-type").orElse("");
    try (InputStream body = response.body()) {
      String text =
          contentType.startsWith("text/event-stream")
              ? ""
              : new String(body.readAllBytes(), StandardCharsets.UTF_8);
      return new Answer(response.statusCode(), contentType, text);
    }
  }

  private static String problemType(Answer answer) {
    if (!answer.contentType().startsWith("application/problem+json")) {
      return "";
    }
    JsonNode type = json(answer.body()).get("type");
    return type == null ? "" : type.asText();
  }
}
