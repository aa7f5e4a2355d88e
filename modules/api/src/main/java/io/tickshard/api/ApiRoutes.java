package io.tickshard.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every HTTP route of a node, behind one error policy: whatever goes wrong is answered as {@code
 * application/problem+json} with the right status, and never with a stack trace.
 */
public final class ApiRoutes extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ApiRoutes.class);
  private static final ContentType YAML =
      ContentTypes.create(MediaTypes.applicationWithFixedCharset("yaml", HttpCharsets.UTF_8));

  /** Swagger UI's files in its webjar, whose folder is named by its version. */
  private static final String SWAGGER_UI =
      "META-INF/resources/webjars/swagger-ui/" + webjarVersion("swagger-ui");

  private final StreamControl control;
  private final ViewerSeats viewers;
  // One per node: it registers the shutdown task that ends the viewers' streams.
  private final TickEvents ticks;

  public ApiRoutes(StreamControl control) {
    this.control = control;
    this.viewers = new ViewerSeats(control.settings().maxSseViewers());
    ApiMetrics.get(control.system()).countViewers(viewers::taken);
    this.ticks = new TickEvents(control, viewers);
  }

  /** Tick viewers (SSE) open on this node now. */
  public int openViewers() {
    return viewers.taken();
  }

  public Route routes() {
    BearerToken token = new BearerToken(control.settings().apiToken());
    // Around every route, not per route: a call added later cannot forget it.
    BrowserOrigin origin = new BrowserOrigin(control.settings());
    Route all =
        concat(
            new StreamRoutes(control, token, ticks).routes(),
            new ClusterRoutes(control, token).routes(),
            new UpstreamRoutes(control).routes(),
            new BrokerRoutes(control, token).routes(),
            new ScreenerRoutes(control, token).routes(),
            new InstrumentRoutes(control.instruments()).routes(),
            ui());
    // Outermost, so that answers of every kind (problems included) carry its headers.
    CrossOrigin crossOrigin = new CrossOrigin(control.settings());
    return crossOrigin.around(
        () ->
            handleExceptions(
                exceptions(),
                () ->
                    handleRejections(
                        rejections(),
                        () ->
                            withSizeLimit(
                                control.settings().maxBodyBytes(),
                                () -> origin.guard(() -> all)))));
  }

  /**
   * The screener pages and the browser client (plain files, no build step), the API's description.
   */
  private Route ui() {
    // The method directive inside the path ones: outside, it would turn every other path's 405
    // into a 404 (a matched GET cancels earlier method rejections).
    return concat(
        pathSingleSlash(() -> get(() -> getFromResource("ui/index.html"))),
        pathPrefix(
            "ui",
            () ->
                get(
                    () ->
                        concat(
                            pathPrefix("swagger-ui", () -> getFromResourceDirectory(SWAGGER_UI)),
                            getFromResourceDirectory("ui")))),
        pathPrefix("client", () -> get(() -> getFromResourceDirectory("client"))),
        path(
            PathMatchers.segment("api").slash("v1").slash("openapi.yaml"),
            () -> get(() -> getFromResource("openapi/openapi.yaml", YAML))));
  }

  private static String webjarVersion(String artifact) {
    String file = "META-INF/maven/org.webjars/" + artifact + "/pom.properties";
    try (InputStream in = ApiRoutes.class.getClassLoader().getResourceAsStream(file)) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "missing");
    } catch (IOException e) {
      throw new UncheckedIOException(file, e);
    }
  }

  private ExceptionHandler exceptions() {
    return ExceptionHandler.newBuilder()
        .matchAny(
            failure -> {
              Throwable cause = Answers.unwrap(failure);
              if (cause instanceof Problem problem) {
                return complete(problem.toResponse());
              }
              if (cause instanceof EntityStreamSizeException) {
                return complete(tooLarge().toResponse());
              }
              log.error("unexpected failure answering a request", cause);
              return complete(Problem.internal().toResponse());
            })
        .build();
  }

  private RejectionHandler rejections() {
    return RejectionHandler.newBuilder()
        .handleAll(
            MethodRejection.class,
            rejected -> {
              List<HttpMethod> allowed =
                  rejected.stream().map(MethodRejection::supported).distinct().toList();
              return complete(
                  Problem.methodNotAllowed(
                          "allowed: "
                              + String.join(", ", allowed.stream().map(HttpMethod::name).toList()))
                      .toResponse()
                      .addHeader(Allow.create(allowed.toArray(HttpMethod[]::new))));
            })
        .handle(
            MalformedRequestContentRejection.class,
            rejected ->
                complete(
                    (Answers.unwrap(rejected.getCause()) instanceof EntityStreamSizeException
                            ? tooLarge()
                            : Problem.badRequest("the request body could not be read"))
                        .toResponse()))
        .handle(
            UnsupportedRequestContentTypeRejection.class,
            rejected ->
                complete(
                    Problem.unsupportedMediaType("supported: " + rejected.getSupported())
                        .toResponse()))
        .handleNotFound(complete(Problem.notFound("no such resource").toResponse()))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(ApiRoutes::asProblem);
  }

  private Problem tooLarge() {
    return Problem.payloadTooLarge(
        "the body is larger than " + control.settings().maxBodyBytes() + " bytes");
  }

  /**
   * Pekko's own rejection answers are text: give them the problem shape and the type that goes with
   * their status. Their text can name Pekko internals, so it is not passed on.
   */
  private static HttpResponse asProblem(HttpResponse response) {
    if (response.entity().getContentType().equals(Problem.CONTENT_TYPE)) {
      return response;
    }
    int status = response.status().intValue();
    String detail = response.status().reason();
    Problem problem =
        switch (status) {
          case 404 -> Problem.notFound("no such resource");
          case 405 -> Problem.methodNotAllowed("this method is not allowed here");
          case 413 -> Problem.payloadTooLarge("the request body is too large");
          case 415 -> Problem.unsupportedMediaType("this content type is not supported here");
          case 401 -> Problem.unauthorized();
          default ->
              new Problem(status >= 500 ? "internal-error" : "bad-request", detail, status, detail);
        };
    return problem.toResponse().addHeaders(response.getHeaders());
  }
}
